import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ownerDisplayName, parseFdinfoIff, pickOwner, scanTunOwners } from '../../../../electron/core/platforms/linux/tun-owners';

// drivers/net/tun.c, tun_chr_show_fdinfo: "iff:\t%s\n" after the generic pos/flags/mnt_id lines.
const FDINFO = 'pos:\t0\nflags:\t02\nmnt_id:\t25\nino:\t1045\niff:\ttun0\n';

describe('tun owners from /proc', () => {
  it('parses the iff line of a tun descriptor, nothing else', () => {
    assert.equal(parseFdinfoIff(FDINFO), 'tun0');
    assert.equal(parseFdinfoIff('pos:\t0\nflags:\t02\n'), null);
  });
  it('reads fdinfo line by line: an iff line without a value takes nothing from the next line (issue 12)', () => {
    assert.equal(parseFdinfoIff('pos:\t0\niff:\nmnt_id:\t25\n'), null);
    assert.equal(parseFdinfoIff('pos:\t0\niff:\t\nmnt_id:\t25\n'), null);
    assert.equal(parseFdinfoIff('iff:\n\ntun0\n'), null);
    assert.equal(parseFdinfoIff('iff:\ttun0 junk\n'), null, 'an interface name holds no whitespace');
    assert.equal(parseFdinfoIff('flags:\t02\niff:\ttun0\r\n'), 'tun0');
    assert.equal(parseFdinfoIff('xiff:\ttun0\n'), null);
  });
  it('names known programs, keeps others as their comm', () => {
    assert.equal(ownerDisplayName('openvpn'), 'OpenVPN');
    assert.equal(ownerDisplayName('wireguard-go'), 'wireguard-go');
    assert.equal(ownerDisplayName('acme-vpn'), 'acme-vpn');
  });
  it('a process named like an Object.prototype member keeps its name (issue 12)', () => {
    for (const comm of ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', '__defineGetter__']) {
      assert.equal(ownerDisplayName(comm), comm);
    }
  });
  it('prefers an owner in the same network namespace', () => {
    assert.equal(pickOwner([{ pid: 1, comm: 'a', sameNetns: false }, { pid: 2, comm: 'b', sameNetns: true }])?.pid, 2);
    assert.equal(pickOwner([]), null);
  });
  it('scans a /proc tree: only /dev/net/tun descriptors with an iff line count', async () => {
    const root = await mkdtemp(join(tmpdir(), 'lw-proc-'));
    try {
      const proc = async (pid: string, comm: string, fds: Record<string, [string, string]>): Promise<void> => {
        await mkdir(join(root, pid, 'fd'), { recursive: true });
        await mkdir(join(root, pid, 'fdinfo'), { recursive: true });
        await mkdir(join(root, pid, 'ns'), { recursive: true });
        await writeFile(join(root, pid, 'comm'), `${comm}\n`);
        await symlink('net:[4026531840]', join(root, pid, 'ns', 'net'));
        for (const [fd, [target, info]] of Object.entries(fds)) {
          await symlink(target, join(root, pid, 'fd', fd));
          await writeFile(join(root, pid, 'fdinfo', fd), info);
        }
      };
      await mkdir(join(root, 'self', 'ns'), { recursive: true });
      await symlink('net:[4026531840]', join(root, 'self', 'ns', 'net'));
      await proc('100', 'openvpn', { '3': ['/dev/net/tun', FDINFO], '4': ['socket:[1]', 'pos:\t0\n'] });
      await proc('200', 'bash', { '0': ['/dev/pts/0', 'pos:\t0\n'] });
      await proc('300', 'constructor', { '5': ['/dev/net/tun', 'pos:\t0\niff:\tconstructor\n'] });
      await proc('400', '__proto__', { '5': ['/dev/net/tun', 'pos:\t0\niff:\t__proto__\n'] });
      const owners = await scanTunOwners(root);
      // Processes are scanned in parallel: compare by name, not by insertion order.
      assert.deepEqual([...owners].sort(([a], [b]) => a.localeCompare(b)), [
        ['__proto__', [{ pid: 400, comm: '__proto__', sameNetns: true }]],
        ['constructor', [{ pid: 300, comm: 'constructor', sameNetns: true }]],
        ['tun0', [{ pid: 100, comm: 'openvpn', sameNetns: true }]],
      ]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
