/**
 * The export against the real engines a fleet runs, from Debian: `linkwatch export --prometheus DIR --watch`
 * inside a namespace with a real OpenVPN tunnel, Prometheus's node_exporter reading DIR with its textfile
 * collector, and a Prometheus server scraping that exporter every second, asked through its HTTP API. When
 * the tunnel comes up, `linkwatch_connection_up` for it is 1 in Prometheus; when it drops, 0; when the export
 * stops, the files are gone. node_exporter and Prometheus listen on 127.0.0.1 only, and every process and
 * namespace is stopped by the test, also when it fails.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { skipUnless } from '../../support/skip';
import { TunnelLab, hasCommand, tunnelSupport } from '../../support/tunnels';

const CLI = fileURLToPath(new URL('../../../electron/core/cli.ts', import.meta.url));
const NODE_EXPORTER = 'prometheus-node-exporter';
const PROMETHEUS = 'prometheus';

const support = tunnelSupport();
const engines = hasCommand(NODE_EXPORTER) && hasCommand(PROMETHEUS);
const children = new Set<ChildProcess>();
const dir = mkdtempSync(join(tmpdir(), 'linkwatch-prometheus-'));
let lab: TunnelLab | null = null;

function stopAll(): void {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
  lab?.teardown();
  rmSync(dir, { recursive: true, force: true });
}
process.on('exit', stopAll);
after(stopAll);

/** A port on 127.0.0.1 nobody listens on now (the kernel's choice). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function start(command: string, args: string[]): { child: ChildProcess; log: () => string } {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  return { child, log: () => log };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, log: () => string = () => ''): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${log().slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function text(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.text();
}

describe('Prometheus textfile export against node_exporter and Prometheus', () => {
  it('the tunnel up: linkwatch_connection_up is 1 in Prometheus; down: 0; the export stopped: its files are gone', { timeout: 120_000 }, async (t) => {
    if (!skipUnless(t, support.ok, support.reason)) return;
    if (!skipUnless(t, engines, `${NODE_EXPORTER} and ${PROMETHEUS} (Debian: prometheus-node-exporter, prometheus)`)) return;
    const textfiles = join(dir, 'textfile');
    spawnSync('mkdir', ['-p', textfiles]);

    const exporterPort = await freePort();
    const exporter = start(NODE_EXPORTER, [
      `--web.listen-address=127.0.0.1:${exporterPort}`,
      '--collector.disable-defaults',
      '--collector.textfile',
      `--collector.textfile.directory=${textfiles}`,
    ]);
    const prometheusPort = await freePort();
    const config = join(dir, 'prometheus.yml');
    writeFileSync(
      config,
      ['global:', '  scrape_interval: 1s', '  evaluation_interval: 1s', 'scrape_configs:', '  - job_name: laptop', '    static_configs:', `      - targets: ['127.0.0.1:${exporterPort}']`, ''].join('\n'),
    );
    const prometheus = start(PROMETHEUS, [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${prometheusPort}`,
      // Samples a second old count: the test asks within seconds of each change.
      '--query.lookback-delta=3s',
    ]);

    lab = new TunnelLab();
    lab.setup();
    await lab.openvpnUp();
    const ifname = lab.openvpn.ifname;
    const watch = lab.spawnNodeInClient(CLI, ['export', '--prometheus', textfiles, '--watch']);
    children.add(watch);
    let watchLog = '';
    watch.stderr?.on('data', (chunk: Buffer) => (watchLog += chunk.toString()));

    // node_exporter serves the file: the series, and its own word that it could read the folder.
    const metrics = await until(
      'node_exporter to serve the tunnel as up',
      async () => {
        const body = await text(`http://127.0.0.1:${exporterPort}/metrics`);
        return new RegExp(`^linkwatch_connection_up\\{[^}]*interface="${ifname}"[^}]*\\} 1$`, 'm').test(body) ? body : undefined;
      },
      30_000,
      () => exporter.log() + watchLog,
    );
    assert.match(metrics, /^node_textfile_scrape_error 0$/m);
    assert.match(metrics, /^linkwatch_backend_up\{backend="netlink"\} 1$/m);
    assert.match(metrics, /^linkwatch_backend_updates_push\{backend="netlink"\} 1$/m);
    assert.doesNotMatch(metrics, new RegExp(lab.openvpn.clientAddress.replaceAll('.', '\\.')), 'no address in any label');

    const query = async (): Promise<string | undefined> => {
      const body = JSON.parse(await text(`http://127.0.0.1:${prometheusPort}/api/v1/query?query=${encodeURIComponent(`linkwatch_connection_up{interface="${ifname}"}`)}`)) as {
        status: string;
        data: { result: { metric: Record<string, string>; value: [number, string] }[] };
      };
      assert.equal(body.status, 'success');
      return body.data.result[0]?.value[1];
    };
    await until('Prometheus to report the tunnel up (1)', async () => ((await query()) === '1' ? true : undefined), 60_000, prometheus.log);

    await lab.openvpnDown();
    await until('Prometheus to report the tunnel down (0)', async () => ((await query()) === '0' ? true : undefined), 30_000, () => prometheus.log() + watchLog);

    watch.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => watch.once('exit', resolve));
    assert.equal(code, 0, watchLog);
    assert.equal(existsSync(join(textfiles, 'linkwatch.prom')), false, 'a stopped export leaves no state behind');
    assert.equal(existsSync(join(textfiles, 'linkwatch.json')), false);
  });
});
