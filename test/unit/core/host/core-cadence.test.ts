/**
 * The app's monitor schedules reads from data the core client holds without asking the core
 * (`safetyReadMs`, like `pollWhileConnecting`): it must be what the backend in the core declares, or the app
 * would read on a timer the backend does not need (or miss one it does).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCoreSource } from '../../../../electron/core/host/core-client';
import { createLinuxSource } from '../../../../electron/core/platforms/linux/linux-source';

function clientFor(backend: string) {
  // A transport that never starts a process: only the client's own data is read here.
  return createCoreSource({ backend, log: () => {}, spawn: () => ({ send: () => {}, kill: () => {} }), restartDelaysMs: [3_600_000] });
}

test('netlink: the client, like the Linux source, declares no safety read (rtnetlink reports its own losses)', () => {
  const linux = createLinuxSource({ networkManager: false });
  const client = clientFor('netlink');
  try {
    assert.equal(linux.safetyReadMs, null);
    assert.equal(client.safetyReadMs, linux.safetyReadMs);
  } finally {
    linux.close();
    client.close();
  }
});

test('backends that declare nothing keep the monitor default', () => {
  for (const backend of ['getifaddrs', 'none']) {
    const client = clientFor(backend);
    assert.equal(client.safetyReadMs, undefined, backend);
    client.close();
  }
});
