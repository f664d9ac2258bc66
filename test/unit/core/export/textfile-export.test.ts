/**
 * The export's files in the collector's folder: both written on a change, at most once per interval (a burst
 * of changes is one write at the interval's end, with the last state), never half a file, and gone when the
 * export stops on purpose.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Snapshot } from '../../../../shared/connection';
import { PROMETHEUS_FILE, STATUS_FILE, TextfileExport } from '../../../../electron/core/export/textfile-export';
import { toJsonSnapshot } from '../../../../electron/core/snapshot-json';
import { connection } from '../../../support/connections';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'linkwatch-export-'));
});
after(() => rm(dir, { recursive: true, force: true }));

const snap = (names: string[]): Snapshot => ({
  platform: 'linux',
  backend: 'netlink',
  updates: 'push',
  connections: names.map((name, i) => connection({ id: `netlink:${i}:tun${i}`, name, deviceName: `tun${i}` })),
  error: null,
  takenAt: 1,
});

describe('textfile export', () => {
  it('a burst of changes: the first written at once, the rest as one write with the last state; then the files go on close', async () => {
    let current = snap(['a']);
    let writes = 0;
    let wrote: () => void = () => {};
    const exporter = new TextfileExport(
      dir,
      { snapshot: () => current, statusDocument: toJsonSnapshot },
      { minIntervalMs: 200, onWritten: () => ((writes += 1), wrote()), onError: (error) => assert.fail(error.message) },
    );
    const written = () => new Promise<void>((resolve) => (wrote = resolve));
    let next = written();
    exporter.changed();
    await next;
    assert.equal(writes, 1);
    assert.match(await readFile(join(dir, PROMETHEUS_FILE), 'utf8'), /linkwatch_connection_up\{name="a"/);
    next = written();
    for (const name of ['b', 'c', 'd', 'e']) {
      current = snap([name]);
      exporter.changed();
    }
    await next;
    assert.equal(writes, 2, 'four changes within the interval: one write');
    const prom = await readFile(join(dir, PROMETHEUS_FILE), 'utf8');
    assert.match(prom, /linkwatch_connection_up\{name="e",kind="vpn",interface="tun0",backend="netlink"\} 1/);
    assert.match(prom, /linkwatch_connection_up\{name="a",kind="vpn",interface="tun0",backend="netlink"\} 0/, 'the first one went: 0');
    assert.deepEqual(JSON.parse(await readFile(join(dir, STATUS_FILE), 'utf8')), JSON.parse(JSON.stringify(toJsonSnapshot(current))));
    assert.deepEqual((await readdir(dir)).sort(), [STATUS_FILE, PROMETHEUS_FILE].sort(), 'no temp file left where the collector reads');
    await exporter.close({ remove: true });
    assert.deepEqual(await readdir(dir), []);
    exporter.changed();
    await new Promise((resolve) => setTimeout(resolve, 250));
    assert.deepEqual(await readdir(dir), [], 'closed: nothing written any more');
  });

  it('a folder that cannot be written is reported as data, and the export goes on trying at the next change', async () => {
    const errors: string[] = [];
    const exporter = new TextfileExport(join(dir, 'missing', 'deeper'), { snapshot: () => snap([]), statusDocument: toJsonSnapshot }, { minIntervalMs: 0, onError: (e) => errors.push(String(e.code)) });
    exporter.changed();
    await exporter.flush();
    exporter.changed();
    await exporter.flush();
    assert.deepEqual(errors, ['ENOENT', 'ENOENT']);
    await exporter.close({ remove: false });
  });
});
