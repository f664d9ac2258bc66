/**
 * macOS's network services (System Settings' VPNs, and Network Extension VPNs such as the WireGuard app), read
 * and driven through Apple's own `scutil` (/usr/sbin/scutil; LINKWATCH_SCUTIL names another program that
 * speaks the same, the fake test/fixtures/fake-scutil.ts in the tests). Run by its absolute path, never
 * looked up on PATH: a program that starts and stops VPNs is not one a PATH entry should be able to replace.
 * Formats: sc-format.ts.
 *
 * Why `scutil` and not CoreFoundation/SystemConfiguration through koffi:
 * - Cost: a run costs a process (about 10–30 ms on a Mac), but runs happen only when something changed (a
 *   candidate interface came, went or changed its addresses, or the dynamic store said a service changed),
 *   on listing the saved VPNs, and per Connect/Disconnect; a binding would save those milliseconds.
 * - Robustness: a binding would hand-manage CFString/CFArray/CFDictionary ownership (the Create/Copy rule:
 *   every object from a *Create* or *Copy* function is released once, nothing from a *Get* function), run a
 *   CFRunLoop or dispatch queue for SCNetworkConnection's callbacks on a foreign thread, and any mistake
 *   crashes the core process. A mistake here is a parse that finds nothing: a named row falls back to the
 *   interface's name. scutil's formats have stood since 2012 (nc.c's history) and are printed by Apple's
 *   own code (_SCCopyDescription), not localized.
 * - Testability: a fake `scutil` that prints those formats runs anywhere; a fake CoreFoundation would be a
 *   re-implementation of CF in C.
 * What it cannot do that the API could: pass credentials (Linkwatch never handles passwords anyway: the
 * system prompts, as `scutil --nc start` leaves it to), and ConnectTime.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import type { ErrorInfo } from '../../../../shared/connection';
import { BackendError, toErrorInfo } from '../../backend-error';
import type { DarwinService } from './ifaddrs';
import {
  interfacesByService,
  lastCause,
  parseNcList,
  parseNcStatus,
  parseScDescriptions,
  parseStatusWord,
  userDefinedNames,
  type NcService,
  type NcStatus,
  type NcStatusReport,
} from './sc-format';

export const DEFAULT_SCUTIL = '/usr/sbin/scutil';
/** One scutil run that takes longer than this is a hung configd: give up, keep the interface names. */
export const SCUTIL_TIMEOUT_MS = 5000;

/** The dynamic-store script: every service's IPv4/IPv6 state entity (InterfaceName) and its setup (name). */
const STORE_SCRIPT = 'show State:/Network/Service/[^/]+/IPv[46] pattern\nshow Setup:/Network/Service/[^/]+ pattern\nquit\n';
/** What the watcher asks to be told about (cache.c n.add with "pattern"; notifications.c storeCallback prints). */
const WATCH_SCRIPT = 'n.add State:/Network/Service/[^/]+/(IPv4|IPv6|PPP|IPSec|VPN) pattern\nn.add Setup:/Network/Service/[^/]+ pattern\nn.watch\n';

export interface ServiceSnapshot {
  /** The connection-oriented services (`scutil --nc list`). */
  services: NcService[];
  /** Interface name → its service, for the services that carry one now. */
  byInterface: Map<string, DarwinService>;
  /** Service id → the name to show: the preferences' full UserDefinedName, else scutil's (marked when cut). */
  names: Map<string, string>;
}

function displayName(s: NcService, fullName: string | undefined): string {
  return fullName ?? (s.truncated ? `${s.name}…` : s.name);
}

/** Join `--nc list` with the dynamic store's state and setup entities. Pure. */
export function joinServices(ncList: string, store: string): ServiceSnapshot {
  const services = parseNcList(ncList);
  const [state, setup] = parseScDescriptions(store);
  const interfaces = interfacesByService(state);
  const names = userDefinedNames(setup);
  const byInterface = new Map<string, DarwinService>();
  const shown = new Map<string, string>();
  for (const s of services) {
    const name = displayName(s, names.get(s.serviceId));
    shown.set(s.serviceId, name);
    const carried = interfaces.get(s.serviceId);
    if (carried !== undefined && !byInterface.has(carried)) byInterface.set(carried, { serviceId: s.serviceId, name, type: s.type, subtype: s.subtype });
  }
  return { services, byInterface, names: shown };
}

export interface Scutil {
  readonly path: string;
  /** Run scutil with `args` (and `input` on stdin); resolves with stdout, or rejects (BackendError). */
  run(args: string[], input?: string): Promise<{ stdout: string; stderr: string; code: number }>;
  /** The services and which interface each carries now. */
  snapshot(): Promise<ServiceSnapshot>;
  status(serviceId: string): Promise<NcStatusReport>;
  /** A long-running `scutil` that tells each dynamic-store change of a service; returns stop(). */
  watchStore(onChange: () => void, onEnd: (error: Error) => void): () => void;
  /** `scutil --nc watch <service>`: every status change, as it happens; returns stop(). */
  watchService(serviceId: string, onStatus: (status: NcStatus, error: string | null, initial: boolean) => void, onEnd: (error: Error) => void): () => void;
}

/** Each line of a child's stdout, as it arrives. */
function onLines(child: ChildProcess, onLine: (line: string) => void): void {
  let pending = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    pending += chunk;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      onLine(line);
    }
  });
}

function spawnWatcher(path: string, args: string[], input: string | null, onLine: (line: string) => void, onEnd: (error: Error) => void): () => void {
  let stopped = false;
  let child: ChildProcess;
  try {
    // stdin stays open: scutil reads its commands from it and quits at end-of-file (scutil.c process_line).
    child = spawn(path, args, { stdio: ['pipe', 'pipe', 'ignore'] });
  } catch (error) {
    queueMicrotask(() => onEnd(error as Error));
    return () => {};
  }
  child.on('error', (error) => {
    if (!stopped) onEnd(error);
  });
  child.on('exit', (code, signal) => {
    if (!stopped) onEnd(new Error(`${path} ${args.join(' ')} ended (${signal ?? code})`));
  });
  child.stdin?.on('error', () => {}); // EPIPE when it died first: the exit handler reports it
  if (input !== null) child.stdin?.write(input);
  onLines(child, onLine);
  return () => {
    if (stopped) return;
    stopped = true;
    child.stdin?.end();
    child.kill();
  };
}

export function createScutil(path: string = DEFAULT_SCUTIL): Scutil {
  const run: Scutil['run'] = (args, input) =>
    new Promise((resolve, reject) => {
      const child = execFile(path, args, { timeout: SCUTIL_TIMEOUT_MS, maxBuffer: 4 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
        const code = child.exitCode;
        if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(new BackendError('ENOENT', `${path} not found`, { cause: error }));
          return;
        }
        if (error && code === null) {
          reject(new BackendError('ETIMEDOUT', `${path} ${args.join(' ')} gave no answer within ${SCUTIL_TIMEOUT_MS} ms`, { cause: error }));
          return;
        }
        resolve({ stdout, stderr, code: code ?? 1 });
      });
      child.stdin?.on('error', () => {});
      child.stdin?.end(input ?? '');
    });

  return {
    path,
    run,
    async snapshot() {
      const [list, store] = await Promise.all([run(['--nc', 'list']), run([], STORE_SCRIPT)]);
      return joinServices(list.stdout, store.stdout);
    },
    async status(serviceId) {
      const { stdout } = await run(['--nc', 'status', serviceId]);
      return parseNcStatus(stdout);
    },
    watchStore(onChange, onEnd) {
      return spawnWatcher(path, [], WATCH_SCRIPT, (line) => {
        if (/^notification callback|changedKey \[\d+\] = /.test(line.trim())) onChange();
      }, onEnd);
    },
    watchService(serviceId, onStatus, onEnd) {
      return spawnWatcher(path, ['--nc', 'watch', serviceId], null, (line) => {
        const word = parseStatusWord(line);
        // nc.c nc_callback: the status when the watch began is printed after "Current status = ".
        if (word) onStatus(word.status, word.error, line.startsWith('Current status = '));
      }, onEnd);
    },
  };
}

/**
 * The services as last read, re-read only when what they describe may have changed: a different set of
 * candidate interfaces or addresses (`key`), or markStale() (the dynamic store said so, a dial ended).
 * Never per read: the popup reads every 250 ms while open. A change during a read marks the result stale.
 */
export class ServiceCache {
  private current: ServiceSnapshot | null = null;
  private key: string | null = null;
  private version = 0;
  private readVersion = -1;
  private inFlight: Promise<ServiceSnapshot> | null = null;
  /** The last read's failure (kept with the last good snapshot), for diagnose. */
  error: ErrorInfo | null = null;

  constructor(private readonly scutil: Scutil | null) {}

  markStale(): void {
    this.version++;
  }

  /** The services now: `key` names what they depend on (null: any), `force` re-reads regardless. */
  async get(key: string | null, force = false): Promise<ServiceSnapshot> {
    const empty: ServiceSnapshot = { services: [], byInterface: new Map(), names: new Map() };
    if (!this.scutil) return empty;
    const fresh = this.current !== null && this.readVersion === this.version && (key === null || key === this.key);
    if (fresh && !force) return this.current!;
    const version = this.version;
    this.inFlight ??= this.scutil.snapshot().finally(() => (this.inFlight = null));
    try {
      this.current = await this.inFlight;
      this.error = null;
    } catch (error) {
      this.error = toErrorInfo(error);
    }
    this.readVersion = version;
    if (key !== null) this.key = key;
    return this.current ?? empty;
  }
}

/** The reason a stopped service gives: its extended status's LastCause, as an error for the dial. */
export function disconnectReason(report: NcStatusReport): { code: number | string; message: string } | null {
  if (report.status === 'Invalid') return { code: 'EINVALIDSERVICE', message: report.error ?? 'the VPN service is not valid' };
  const cause = lastCause(report.extended);
  return cause === null ? null : { code: cause, message: `the VPN service stopped (LastCause ${cause})` };
}
