/**
 * "The network came back", for Keep connected: while an entry waits for its next attempt (and only then),
 * the machine's own addresses are compared every `NETWORK_CHECK_MS`; a change that adds a usable address
 * (not loopback, not link-local) means a network to redial over may be back, so the waiting entries are
 * dialled at once instead of at the end of a 5-minute wait. `os.networkInterfaces()` is one getifaddrs call:
 * no packet leaves the machine.
 */
import { networkInterfaces } from 'node:os';

export const NETWORK_CHECK_MS = 5000;

type Interfaces = ReturnType<typeof networkInterfaces>;

/** The usable addresses, sorted: what "the network" is for this purpose. */
export function usableAddresses(interfaces: Interfaces): string[] {
  const addresses: string[] = [];
  for (const infos of Object.values(interfaces)) {
    for (const info of infos ?? []) {
      if (info.internal) continue;
      if (info.family === 'IPv6' && /^fe80:/i.test(info.address)) continue;
      if (info.family === 'IPv4' && info.address.startsWith('169.254.')) continue;
      addresses.push(info.address);
    }
  }
  return addresses.sort();
}

/** True when `after` has an address `before` did not: a network (re)appeared. */
export function networkCameBack(before: readonly string[], after: readonly string[]): boolean {
  const known = new Set(before);
  return after.some((address) => !known.has(address));
}

export class NetworkReturn {
  private timer: ReturnType<typeof setInterval> | null = null;
  private last: string[] = [];

  constructor(
    private readonly onBack: () => void,
    private readonly read: () => Interfaces = networkInterfaces,
    private readonly periodMs = NETWORK_CHECK_MS,
  ) {}

  /** Watch (idempotent): from the addresses there are now. */
  start(): void {
    if (this.timer) return;
    this.last = usableAddresses(this.read());
    this.timer = setInterval(() => this.check(), this.periodMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  check(): void {
    let now: string[];
    try {
      now = usableAddresses(this.read());
    } catch {
      return; // getifaddrs failing says nothing about the network
    }
    const back = networkCameBack(this.last, now);
    this.last = now;
    if (back) this.onBack();
  }
}
