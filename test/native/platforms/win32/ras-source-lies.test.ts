/**
 * The RAS backend over a rasapi32 that lies about sizes and counts (the fake's `lie` mode, outside the
 * contract): every such answer is a BackendError EPROTO with a message, nothing huge is allocated, and the
 * monitor keeps the last good list. Counterexamples from issue 12's fuzzing.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ConnectionMonitor } from '../../../../electron/core/monitor';
import type { ConnectionSource, SourceConnection } from '../../../../electron/core/platforms/source';
import { MAX_RAS_CONNECTIONS, maxEnumBytes } from '../../../../electron/core/platforms/win32/ras-enum-bounds';
import { createRasSource } from '../../../../electron/core/platforms/win32/ras-source';
import { rasConnLayouts } from '../../../../electron/core/platforms/win32/ras-structs';
import { rejectsWith } from '../../../support/backend-errors';
import { fakeRasConnectionId, loadFakeRas } from '../../../support/fake-ras';

const fake = loadFakeRas();
let source: ConnectionSource;

beforeEach(() => {
  fake.reset();
  source = createRasSource(fake.path);
});
afterEach(() => {
  source.close();
  fake.reset();
});

const read = (): Promise<SourceConnection[]> => source.read({ counters: false });
const STRIDE = rasConnLayouts()[0]!.size;

describe('RAS source: a library that lies about sizes and counts', () => {
  it('a successful call reporting more connections than the buffer holds is EPROTO, not a RangeError', async () => {
    fake.add({ name: 'Office VPN' });
    fake.lie({ okCount: 2 });
    await rejectsWith(read(), 'EPROTO', new RegExp(`reported 2 connections, but the ${STRIDE}-byte buffer it filled holds at most 1 of ${STRIDE} bytes`));
  });

  it('a successful call reporting 2^32-1 connections is EPROTO, not ERR_OUT_OF_RANGE', async () => {
    fake.add({ name: 'Office VPN' });
    fake.lie({ okCount: 0xffffffff });
    await rejectsWith(read(), 'EPROTO', /reported 4294967295 connections/);
  });

  it('a probe answering *lpcb = 0xFFFFFFFF is EPROTO before anything is allocated: no second call is made', async () => {
    fake.add({ name: 'Office VPN' });
    fake.lie({ probeCb: 0xffffffff });
    const before = process.memoryUsage().arrayBuffers;
    await rejectsWith(read(), 'EPROTO', new RegExp(`asked for a 4294967295-byte buffer, more than the ${maxEnumBytes(STRIDE)} bytes`));
    assert.deepEqual(
      fake.enumLog().map((call) => call.hadBuffer),
      [false],
      'only the NULL-buffer probe',
    );
    assert.ok(process.memoryUsage().arrayBuffers - before < 64 * 1024 * 1024, 'no 4 GiB buffer');
  });

  it('a probe answering a count of 2^32-1 is EPROTO', async () => {
    fake.add({ name: 'Office VPN' });
    fake.lie({ probeCount: 0xffffffff });
    await rejectsWith(read(), 'EPROTO', new RegExp(`reported 4294967295 connections, more than the ${MAX_RAS_CONNECTIONS}`));
    assert.equal(fake.enumLog().length, 1);
  });

  it(`${MAX_RAS_CONNECTIONS} connections are read; one more is EPROTO (the documented bound)`, async () => {
    for (let i = 0; i < MAX_RAS_CONNECTIONS; i++) fake.add({ name: `VPN ${i}` });
    assert.equal((await read()).length, MAX_RAS_CONNECTIONS);
    fake.add({ name: 'one too many' });
    await rejectsWith(read(), 'EPROTO', new RegExp(`reported ${MAX_RAS_CONNECTIONS + 1} connections`));
  });

  it('the monitor shows the error as data, keeps the last good list, and recovers when the library stops lying', async () => {
    const handle = fake.add({ name: 'Office VPN' });
    const monitor = new ConnectionMonitor(source, { platform: 'win32' });
    try {
      const good = await monitor.refresh();
      assert.deepEqual(
        good.connections.map((c) => c.id),
        [fakeRasConnectionId(handle)],
      );
      for (const lie of [{ okCount: 7 }, { probeCb: 0xffffffff }, { probeCount: 0xffffffff }, { okCount: 0xffffffff }]) {
        fake.lie(lie);
        const bad = await monitor.refresh();
        assert.equal(bad.error?.code, 'EPROTO', JSON.stringify(lie));
        assert.match(bad.error.message, /RasEnumConnectionsW .*not believable/);
        assert.deepEqual(
          bad.connections.map((c) => c.name),
          ['Office VPN'],
          'the last good list is kept',
        );
      }
      fake.lie({});
      const recovered = await monitor.refresh();
      assert.equal(recovered.error, null);
      assert.deepEqual(
        recovered.connections.map((c) => c.name),
        ['Office VPN'],
      );
    } finally {
      monitor.close();
      source = createRasSource(fake.path); // monitor.close() closed the source; afterEach closes this one
    }
  });
});
