/**
 * Real tunnels for the native tests: two network namespaces joined by a veth pair, with an OpenVPN (TLS,
 * self-signed EC certificates made at test time, pinned with --peer-fingerprint) and a wireguard-go tunnel
 * between them. Every packet stays inside the two namespaces. Needs root, openvpn, wireguard-go, wg, ip,
 * openssl and ping (Debian: openvpn wireguard-go wireguard-tools iproute2 openssl iputils-ping).
 *
 * Teardown is always run: by the test's `after`, on process exit, on SIGINT/SIGTERM; and a run cleans
 * what a crashed earlier run left (namespaces named lw-*-<pid> whose pid is gone).
 */
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pidAlive } from './processes';

const WG_SOCKET_DIR = '/var/run/wireguard';
const NS_PATTERN = /^lw-(srv|cli|bench)-(\d+)(?:-\d+)?$/;

export function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** What the tunnel tests need, and why not when they cannot run. */
export function tunnelSupport(): { ok: boolean; reason: string } {
  if (process.platform !== 'linux') return { ok: false, reason: 'real tunnels need Linux' };
  if (process.getuid?.() !== 0) return { ok: false, reason: 'real tunnels need root (network namespaces)' };
  const missing = ['ip', 'openvpn', 'wireguard-go', 'wg', 'openssl', 'ping'].filter((c) => !hasCommand(c));
  if (missing.length > 0) return { ok: false, reason: `missing commands: ${missing.join(', ')}` };
  if (!existsSync('/dev/net/tun')) return { ok: false, reason: '/dev/net/tun is missing' };
  return { ok: true, reason: '' };
}

function run(cmd: string, args: string[], input?: string): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

function killNamespace(ns: string): void {
  const pids = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).stdout.split(/\s+/).filter(Boolean).map(Number);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  spawnSync('ip', ['netns', 'delete', ns], { stdio: 'ignore' });
}

/** Remove namespaces (and their processes, wireguard sockets) left by runs whose process is gone. */
export function cleanLeftovers(): void {
  const list = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout;
  for (const line of list.split('\n')) {
    const name = line.split(' ')[0] ?? '';
    const match = NS_PATTERN.exec(name);
    if (match && !pidAlive(Number(match[2]))) killNamespace(name);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

export interface TunnelInfo {
  /** Interface name in the client namespace. */
  ifname: string;
  clientAddress: string;
  serverAddress: string;
  prefix: number;
}

const live = new Set<TunnelLab>();
let hooksInstalled = false;
function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', () => {
    for (const lab of live) lab.teardown();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const lab of live) lab.teardown();
      process.exit(130);
    });
  }
}

export class TunnelLab {
  readonly tag: string;
  readonly server: string;
  readonly client: string;
  readonly openvpn: TunnelInfo;
  readonly wireguard: TunnelInfo;
  private readonly dir: string;
  private readonly procs = new Map<string, ChildProcess>();
  private readonly logs = new Map<string, string>();
  private torn = false;
  private wgKeys: { srvPriv: string; srvPub: string; cliPriv: string; cliPub: string } | null = null;
  private fingerprints: { srv: string; cli: string } | null = null;

  /**
   * `openvpnPingRestart`: seconds of silence before the OpenVPN client restarts (default 30). A test that
   * freezes the server longer than that (the stall test) raises it, or the client would restart mid-test.
   * `openvpnIpv6`: the OpenVPN tunnel carries IPv6 too (fd77::1 server, fd77::2 client, /64).
   */
  constructor(private readonly options: { openvpnPingRestart?: number; openvpnIpv6?: boolean } = {}) {
    const seq = live.size;
    this.tag = `${process.pid}${seq ? `-${seq}` : ''}`;
    this.server = `lw-srv-${this.tag}`;
    this.client = `lw-cli-${this.tag}`;
    // Short and unique: IFNAMSIZ is 16, and wireguard-go's socket path is shared by every namespace.
    const id = `${process.pid % 100000}${seq || ''}`;
    this.openvpn = { ifname: `lwo${id}`, clientAddress: '10.77.0.2', serverAddress: '10.77.0.1', prefix: 24 };
    this.wireguard = { ifname: `lwwc${id}`, clientAddress: '10.78.0.2', serverAddress: '10.78.0.1', prefix: 24 };
    this.dir = mkdtempSync(join(tmpdir(), 'lw-tunnels-'));
    live.add(this);
    installHooks();
  }

  private get wgServerIf(): string {
    return this.wireguard.ifname.replace('lwwc', 'lwws');
  }

  /** Namespaces, loopback and the veth "wire" (198.18.0.1 server, .2 client: RFC 2544 test range). */
  setup(): void {
    cleanLeftovers();
    run('ip', ['netns', 'add', this.server]);
    run('ip', ['netns', 'add', this.client]);
    run('ip', ['-n', this.server, 'link', 'set', 'lo', 'up']);
    run('ip', ['-n', this.client, 'link', 'set', 'lo', 'up']);
    run('ip', ['-n', this.server, 'link', 'add', 'wire', 'type', 'veth', 'peer', 'name', 'wire', 'netns', this.client]);
    run('ip', ['-n', this.server, 'addr', 'add', '198.18.0.1/24', 'dev', 'wire']);
    run('ip', ['-n', this.client, 'addr', 'add', '198.18.0.2/24', 'dev', 'wire']);
    run('ip', ['-n', this.server, 'link', 'set', 'wire', 'up']);
    run('ip', ['-n', this.client, 'link', 'set', 'wire', 'up']);
    this.makeCredentials();
  }

  private makeCredentials(): void {
    const fingerprint = (name: string): string => {
      const key = join(this.dir, `${name}.key`);
      const crt = join(this.dir, `${name}.crt`);
      run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', crt, '-subj', `/CN=linkwatch-${name}`, '-days', '1']);
      return new X509Certificate(run('cat', [crt])).fingerprint256;
    };
    this.fingerprints = { srv: fingerprint('srv'), cli: fingerprint('cli') };
    const srvPriv = run('wg', ['genkey']).trim();
    const cliPriv = run('wg', ['genkey']).trim();
    this.wgKeys = { srvPriv, cliPriv, srvPub: run('wg', ['pubkey'], srvPriv).trim(), cliPub: run('wg', ['pubkey'], cliPriv).trim() };
    writeFileSync(join(this.dir, 'wg-srv.key'), srvPriv, { mode: 0o600 });
    writeFileSync(join(this.dir, 'wg-cli.key'), cliPriv, { mode: 0o600 });
  }

  private start(name: string, ns: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', ns, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    this.logs.set(name, '');
    const append = (chunk: Buffer): void => void this.logs.set(name, (this.logs.get(name) ?? '') + chunk.toString());
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    this.procs.set(name, child);
    return child;
  }

  log(name: string): string {
    return this.logs.get(name) ?? '';
  }

  private async stop(name: string): Promise<void> {
    const child = this.procs.get(name);
    this.procs.delete(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }

  private linkExists(ns: string, ifname: string): boolean {
    return spawnSync('ip', ['-n', ns, 'link', 'show', 'dev', ifname], { stdio: 'ignore' }).status === 0;
  }

  private hasAddress(ns: string, ifname: string, address: string): boolean {
    return spawnSync('ip', ['-n', ns, '-o', 'addr', 'show', 'dev', ifname], { encoding: 'utf8' }).stdout.includes(` ${address}/`);
  }

  private openvpnArgs(side: 'srv' | 'cli'): string[] {
    const fp = this.fingerprints;
    if (!fp) throw new Error('setup() first');
    const common = ['openvpn', '--dev', this.openvpn.ifname, '--dev-type', 'tun', '--topology', 'subnet', '--proto', 'udp', '--port', '1194',
      '--dh', 'none', '--cert', join(this.dir, `${side}.crt`), '--key', join(this.dir, `${side}.key`), '--ping', '1', '--ping-restart', String(this.options.openvpnPingRestart ?? 30),
      '--verb', '3', '--suppress-timestamps', '--script-security', '0'];
    if (this.options.openvpnIpv6) common.push('--ifconfig-ipv6', side === 'srv' ? 'fd77::1/64' : 'fd77::2/64', side === 'srv' ? 'fd77::2' : 'fd77::1');
    return side === 'srv'
      ? [...common, '--tls-server', '--local', '198.18.0.1', '--ifconfig', this.openvpn.serverAddress, '255.255.255.0', '--peer-fingerprint', fp.cli]
      : [...common, '--tls-client', '--remote', '198.18.0.1', '--nobind', '--ifconfig', this.openvpn.clientAddress, '255.255.255.0', '--peer-fingerprint', fp.srv];
  }

  /** The server side: starts once, stays up across the client's ups and downs. */
  private async serverUp(name: string): Promise<void> {
    const child = this.procs.get(name);
    if (child && child.exitCode === null) return;
    if (name === 'ovpn-srv') {
      await waitFor('the previous OpenVPN server tun to go', () => !this.linkExists(this.server, this.openvpn.ifname));
      this.start(name, this.server, this.openvpnArgs('srv'));
      await waitFor('the OpenVPN server tun', () => this.hasAddress(this.server, this.openvpn.ifname, this.openvpn.serverAddress));
    } else {
      const keys = this.wgKeys!;
      const ifname = this.wgServerIf;
      this.start(name, this.server, ['wireguard-go', ifname], { WG_PROCESS_FOREGROUND: '1' });
      await waitFor('the wireguard-go server socket', () => existsSync(`${WG_SOCKET_DIR}/${ifname}.sock`));
      run('ip', ['netns', 'exec', this.server, 'wg', 'set', ifname, 'listen-port', '51820', 'private-key', join(this.dir, 'wg-srv.key'),
        'peer', keys.cliPub, 'allowed-ips', `${this.wireguard.clientAddress}/32`]);
      run('ip', ['-n', this.server, 'addr', 'add', `${this.wireguard.serverAddress}/${this.wireguard.prefix}`, 'dev', ifname]);
      run('ip', ['-n', this.server, 'link', 'set', ifname, 'up']);
    }
  }

  /** OpenVPN client up; resolves when the TLS handshake is done and the tun has its address. */
  async openvpnUp(): Promise<void> {
    await this.serverUp('ovpn-srv');
    this.start('ovpn-cli', this.client, this.openvpnArgs('cli'));
    await waitFor('OpenVPN "Initialization Sequence Completed"', () => this.log('ovpn-cli').includes('Initialization Sequence Completed'), 20_000);
  }

  /**
   * Stops the server too: a point-to-point OpenVPN server keeps its session with the old client's port, so
   * a new client would not be heard until it timed out.
   */
  async openvpnDown(): Promise<void> {
    await this.stop('ovpn-cli');
    await this.stop('ovpn-srv');
    await waitFor('the OpenVPN tun to go', () => !this.linkExists(this.client, this.openvpn.ifname));
  }

  /** wireguard-go client up: the process, then `wg set`, the address, and the link up (in that order). */
  async wireguardUp(): Promise<void> {
    await this.serverUp('wg-srv');
    const keys = this.wgKeys!;
    const ifname = this.wireguard.ifname;
    this.start('wg-cli', this.client, ['wireguard-go', ifname], { WG_PROCESS_FOREGROUND: '1' });
    await waitFor('the wireguard-go client socket', () => existsSync(`${WG_SOCKET_DIR}/${ifname}.sock`));
    run('ip', ['netns', 'exec', this.client, 'wg', 'set', ifname, 'private-key', join(this.dir, 'wg-cli.key'),
      'peer', keys.srvPub, 'endpoint', '198.18.0.1:51820', 'allowed-ips', `${this.wireguard.serverAddress}/32`, 'persistent-keepalive', '1']);
    run('ip', ['-n', this.client, 'addr', 'add', `${this.wireguard.clientAddress}/${this.wireguard.prefix}`, 'dev', ifname]);
    run('ip', ['-n', this.client, 'link', 'set', ifname, 'up']);
  }

  async wireguardDown(): Promise<void> {
    await this.stop('wg-cli');
    await waitFor('the wireguard-go tun to go', () => !this.linkExists(this.client, this.wireguard.ifname));
  }

  /** Ping the server end through a tunnel from the client namespace; true when replies came back. */
  ping(tunnel: TunnelInfo, count = 3): boolean {
    const r = spawnSync('ip', ['netns', 'exec', this.client, 'ping', '-c', String(count), '-i', '0.2', '-W', '2', '-s', '1000', tunnel.serverAddress], { encoding: 'utf8' });
    return r.status === 0;
  }

  /**
   * Send `signal` to the OpenVPN server process (SIGSTOP freezes it: the tunnel stays up on the client while
   * nothing comes back; SIGCONT thaws it). `ip netns exec` execs the program, so the child's pid is openvpn's.
   */
  signalOpenvpnServer(signal: 'SIGSTOP' | 'SIGCONT'): void {
    const child = this.procs.get('ovpn-srv');
    if (!child?.pid || child.exitCode !== null) throw new Error('the OpenVPN server is not running');
    process.kill(child.pid, signal);
  }

  /** Spawn a program inside the client namespace (its netlink and /sys follow the namespace). */
  spawnInClient(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
    return spawn('ip', ['netns', 'exec', this.client, command, ...args], options);
  }

  /** A TypeScript file run by Node with tsx inside the client namespace. */
  spawnNodeInClient(script: string, args: string[] = [], options: SpawnOptions = {}): ChildProcess {
    return this.spawnInClient(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  }

  /** Run a TypeScript file with Node inside the client namespace to its end: its status and output. */
  runNodeInClient(script: string, args: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = this.spawnNodeInClient(script, args);
      let stdout = '';
      let stderr = '';
      child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
      child.once('exit', (code) => resolve({ code, stdout, stderr }));
    });
  }

  /** Synchronous, so it can run from process 'exit' too: kill everything, delete both namespaces. */
  teardown(): void {
    if (this.torn) return;
    this.torn = true;
    live.delete(this);
    for (const child of this.procs.values()) child.kill('SIGKILL');
    this.procs.clear();
    killNamespace(this.client);
    killNamespace(this.server);
    for (const ifname of [this.wireguard.ifname, this.wgServerIf]) rmSync(`${WG_SOCKET_DIR}/${ifname}.sock`, { force: true });
    rmSync(this.dir, { recursive: true, force: true });
  }
}
