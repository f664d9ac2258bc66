/**
 * The app's monitor schedules reads from data the core client holds without asking the core
 * (`safetyPollMs`, like `pollWhileConnecting`): it must be what the backend in the core declares, or the app
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
    assert.equal(linux.safetyPollMs, null);
    assert.equal(client.safetyPollMs, linux.safetyPollMs);
  } finally {
    linux.close();
    client.close();
  }
});

test('other backends keep the monitor default until they declare their own', () => {
  for (const backend of ['rasapi32', 'rasapi32+iphlpapi', 'iphlpapi', 'getifaddrs', 'none']) {
    const client = clientFor(backend);
    assert.equal(client.safetyPollMs, undefined, backend);
    client.close();
  }
});
