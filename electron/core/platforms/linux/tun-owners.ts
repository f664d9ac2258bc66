/**
 * Which program holds a tun device open. The kernel says it per descriptor: /proc/<pid>/fdinfo/<fd> of an
 * open /dev/net/tun carries an `iff:` line with the interface name (drivers/net/tun.c, tun_chr_show_fdinfo,
 * Linux 3.14+). Reading another user's /proc/<pid>/fd needs the same uid or CAP_SYS_PTRACE, so as a normal
 * user the owner of a root VPN daemon stays unknown (null) and the name falls back to the link kind.
 *
 * /proc follows the PID namespace, not the network namespace: a tun of the same name in another network
 * namespace is told apart by comparing /proc/<pid>/ns/net with our own.
 */
import { readFile, readdir, readlink } from 'node:fs/promises';

export interface TunOwner {
  pid: number;
  /** /proc/<pid>/comm, e.g. "openvpn". */
  comm: string;
  /** The process lives in the reader's network namespace. */
  sameNetns: boolean;
}

/**
 * Friendly names for the programs that own tunnels; anything else shows as its comm. A Map, not an object:
 * the key is a process name, which any local program chooses ("constructor", "__proto__"…).
 */
const KNOWN_OWNERS = new Map<string, string>([
  ['openvpn', 'OpenVPN'],
  ['wireguard-go', 'wireguard-go'],
  ['openconnect', 'OpenConnect'],
  ['vpnc', 'vpnc'],
  ['tailscaled', 'Tailscale'],
  ['openfortivpn', 'openfortivpn'],
  ['nordvpnd', 'NordVPN'],
  ['expressvpnd', 'ExpressVPN'],
  ['charon', 'strongSwan'],
  ['charon-nm', 'strongSwan'],
  ['zerotier-one', 'ZeroTier'],
  ['nebula', 'Nebula'],
]);

export function ownerDisplayName(comm: string): string {
  return KNOWN_OWNERS.get(comm) ?? comm;
}

/**
 * The `iff:` value of a tun descriptor's fdinfo text, or null for any other descriptor. Read line by line:
 * the kernel writes "iff:\t%s\n", and an `iff:` line without a value must not take the next line's text. An
 * interface name holds no whitespace (dev_valid_name), so a value with some is not one.
 */
export function parseFdinfoIff(text: string): string | null {
  for (const line of text.split('\n')) {
    if (!line.startsWith('iff:')) continue;
    const value = line.slice('iff:'.length).trim();
    return value !== '' && !/\s/.test(value) ? value : null;
  }
  return null;
}

/** Prefer an owner in our network namespace; several holders (multi-queue) are the same program. */
export function pickOwner(owners: readonly TunOwner[] | undefined): TunOwner | null {
  if (!owners || owners.length === 0) return null;
  return owners.find((o) => o.sameNetns) ?? owners[0] ?? null;
}

async function tryReadlink(path: string): Promise<string | null> {
  try {
    return await readlink(path);
  } catch {
    return null;
  }
}

/** ifname → the processes holding a tun descriptor attached to it. Unreadable processes are skipped. */
export async function scanTunOwners(procRoot = '/proc'): Promise<Map<string, TunOwner[]>> {
  const owners = new Map<string, TunOwner[]>();
  const ownNetns = await tryReadlink(`${procRoot}/self/ns/net`);
  const pids = (await readdir(procRoot)).filter((name) => /^\d+$/.test(name));
  await Promise.all(
    pids.map(async (pid) => {
      let fds: string[];
      try {
        fds = await readdir(`${procRoot}/${pid}/fd`);
      } catch {
        return; // gone, or another user's
      }
      const links = await Promise.all(fds.map((fd) => tryReadlink(`${procRoot}/${pid}/fd/${fd}`)));
      const tunFds = fds.filter((_, i) => links[i] === '/dev/net/tun');
      if (tunFds.length === 0) return;
      let comm: string;
      try {
        comm = (await readFile(`${procRoot}/${pid}/comm`, 'utf8')).trim();
      } catch {
        return;
      }
      const netns = await tryReadlink(`${procRoot}/${pid}/ns/net`);
      for (const fd of tunFds) {
        let ifname: string | null;
        try {
          ifname = parseFdinfoIff(await readFile(`${procRoot}/${pid}/fdinfo/${fd}`, 'utf8'));
        } catch {
          continue;
        }
        if (!ifname) continue;
        const list = owners.get(ifname) ?? [];
        if (!list.some((o) => o.pid === Number(pid))) list.push({ pid: Number(pid), comm, sameNetns: netns !== null && netns === ownNetns });
        owners.set(ifname, list);
      }
    }),
  );
  return owners;
}
