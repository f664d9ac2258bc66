/**
 * A real NetworkManager for the native tests (TOOLCHAIN.md, "A real NetworkManager runs here"), with nothing
 * of the host's networking or services touched:
 *   - two network namespaces joined by a veth "wire" (198.18.0.0/24, the RFC 2544 test range): `lw-nmsrv-<pid>`
 *     runs a real OpenVPN server (TLS, a CA made at test time); `lw-nmcli-<pid>` runs NetworkManager;
 *   - inside the client namespace, private mount and UTS namespaces (unshare --mount --uts): tmpfs over /run,
 *     /var/lib/NetworkManager and /etc/NetworkManager/system-connections; /sys bound read-only (without udev,
 *     NetworkManager leaves interfaces unmanaged unless /sys is read-only); a private dbus-daemon listening at
 *     /run/dbus/system_bus_socket inside that /run (the OpenVPN plugin's helper ignores
 *     DBUS_SYSTEM_BUS_ADDRESS and uses the default path); NetworkManager in the foreground with its own
 *     configuration (keyfile plugin, no polkit, no automatic profiles);
 *   - profiles added with nmcli on that bus: an ethernet profile on the wire with the default route (a VPN
 *     needs an active base connection), "Lab OpenVPN" (accepted by the server) and "Lab Refused" (a client
 *     certificate the server's CA did not sign; short vpn.timeout: the plugin retries after a TLS refusal).
 * Commands run inside with `nsenter` into NetworkManager's mount and network namespaces.
 *
 * Teardown is always run: by the test's `after`, on process exit, on SIGINT/SIGTERM; it kills every process
 * of both namespaces (NetworkManager, its plugin and OpenVPN, dbus-daemon, the server) and deletes them; and a
 * run first cleans what a crashed earlier run left (namespaces lw-nm*-<pid> whose pid is gone).
 */
import { busConfig } from './private-bus';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pidAlive } from './processes';
import { hasCommand } from './tunnels';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NS_PATTERN = /^lw-nm(srv|cli)-(\d+)$/;
const DIR_PATTERN = /^lw-real-nm-(\d+)-/;
const OPENVPN_PLUGIN = '/usr/lib/NetworkManager/nm-openvpn-service';
export const SERVER_ADDRESS = '198.18.0.1';
export const CLIENT_ADDRESS = '198.18.0.2';
/** The pool the OpenVPN server hands out (`--server`): the client gets .2. */
export const VPN_SUBNET = '10.77.0';
export const GOOD_PROFILE = 'Lab OpenVPN';
export const REFUSED_PROFILE = 'Lab Refused';
/** vpn.timeout of the refused profile, in seconds: NetworkManager gives up (reason 6) after it. */
export const REFUSED_TIMEOUT_S = 3;

/** Why a real NetworkManager cannot run here, or null. */
export function realNetworkManagerMissing(): string | null {
  if (process.platform !== 'linux') return 'a real NetworkManager needs Linux';
  if (process.getuid?.() !== 0) return 'a real NetworkManager needs root (network and mount namespaces)';
  const missing = ['NetworkManager', 'nmcli', 'dbus-daemon', 'openvpn', 'openssl', 'ip', 'unshare', 'nsenter'].filter((c) => !hasCommand(c) && !existsSync(`/usr/sbin/${c}`));
  if (missing.length > 0) return `missing commands: ${missing.join(', ')} (apt-get install network-manager network-manager-openvpn openvpn dbus-daemon)`;
  if (!existsSync(OPENVPN_PLUGIN)) return `${OPENVPN_PLUGIN} missing (apt-get install network-manager-openvpn)`;
  if (!existsSync('/dev/net/tun')) return '/dev/net/tun is missing';
  return null;
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

function cleanLeftovers(): void {
  for (const line of spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout.split('\n')) {
    const name = line.split(' ')[0] ?? '';
    const match = NS_PATTERN.exec(name);
    if (match && !pidAlive(Number(match[2]))) killNamespace(name);
  }
  for (const name of readdirSync(tmpdir())) {
    const match = DIR_PATTERN.exec(name);
    if (match && !pidAlive(Number(match[1]))) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const live = new Set<RealNetworkManager>();
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

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

const BUS_CONFIG = busConfig('unix:path=/run/dbus/system_bus_socket');

/**
 * keyfile profiles only, no polkit (root alone talks to it), no automatic "Wired connection 1"; and nothing
 * outside its tmpfs folders: /etc/resolv.conf is the host's file (dns=none, rc-manager=unmanaged leave it
 * alone) and the hostname is not NetworkManager's to set (hostname-mode=none; the UTS namespace is private too).
 */
const NM_CONFIG = `[main]
plugins=keyfile
auth-polkit=false
no-auto-default=*
dns=none
rc-manager=unmanaged
hostname-mode=none
[logging]
level=INFO
`;

export class RealNetworkManager {
  readonly server = `lw-nmsrv-${process.pid}`;
  readonly client = `lw-nmcli-${process.pid}`;
  private readonly dir = mkdtempSync(join(tmpdir(), `lw-real-nm-${process.pid}-`));
  private readonly procs = new Map<string, ChildProcess>();
  private readonly logs = new Map<string, string>();
  private nmPid = 0;
  private torn = false;

  constructor() {
    live.add(this);
    installHooks();
  }

  log(name: string): string {
    return this.logs.get(name) ?? '';
  }

  private start(name: string, command: string, args: string[]): ChildProcess {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: this.dir });
    this.logs.set(name, '');
    const append = (chunk: Buffer): void => void this.logs.set(name, (this.logs.get(name) ?? '') + chunk.toString());
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    this.procs.set(name, child);
    return child;
  }

  /** A command inside NetworkManager's namespaces (its /run, so its bus), from the repository's folder. */
  private inside(command: string, args: string[]): string[] {
    return ['-t', String(this.nmPid), '-m', '-n', `--wd=${ROOT}`, command, ...args];
  }

  /** Run to its end inside (asynchronously: the test's own process keeps running meanwhile). */
  exec(command: string, args: string[], timeoutMs = 60_000): Promise<RunResult> {
    return new Promise((resolve) => {
      const child = spawn('nsenter', this.inside(command, args), { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.once('exit', (status) => {
        clearTimeout(timer);
        resolve({ status, stdout, stderr });
      });
    });
  }

  /** `linkwatch <args>` inside, as a user would run it (the repository's CLI under tsx). */
  cli(args: string[]): Promise<RunResult> {
    return this.exec(process.execPath, ['--import', 'tsx', 'electron/core/cli.ts', ...args]);
  }

  /** A TypeScript file run by Node inside. */
  node(script: string, args: string[] = [], timeoutMs?: number): Promise<RunResult> {
    return this.exec(process.execPath, ['--import', 'tsx', script, ...args], timeoutMs);
  }

  nmcli(args: string[]): string {
    return run('nsenter', this.inside('nmcli', args));
  }

  /** The links inside the client namespace, by name. */
  links(): string[] {
    return run('ip', ['-n', this.client, '-o', 'link', 'show'])
      .split('\n')
      .map((line) => /^\d+: ([^:@]+)/.exec(line)?.[1])
      .filter((name): name is string => name !== undefined);
  }

  async setup(): Promise<void> {
    cleanLeftovers();
    run('ip', ['netns', 'add', this.server]);
    run('ip', ['netns', 'add', this.client]);
    for (const ns of [this.server, this.client]) run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    run('ip', ['-n', this.server, 'link', 'add', 'wire', 'type', 'veth', 'peer', 'name', 'wire', 'netns', this.client]);
    run('ip', ['-n', this.server, 'addr', 'add', `${SERVER_ADDRESS}/24`, 'dev', 'wire']);
    run('ip', ['-n', this.server, 'link', 'set', 'wire', 'up']);
    this.makeCredentials();
    this.startServer();
    await this.startNetworkManager();
    this.addProfiles();
  }

  /** A CA that signs the server's and the good client's certificates; the refused client's is self-signed. */
  private makeCredentials(): void {
    const d = this.dir;
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    run('openssl', ['req', '-x509', ...ec, '-keyout', join(d, 'ca.key'), '-out', join(d, 'ca.crt'), '-subj', '/CN=linkwatch-lab-ca', '-days', '1']);
    for (const name of ['srv', 'cli']) {
      run('openssl', ['req', ...ec, '-keyout', join(d, `${name}.key`), '-out', join(d, `${name}.csr`), '-subj', `/CN=linkwatch-lab-${name}`]);
      run('openssl', ['x509', '-req', '-in', join(d, `${name}.csr`), '-CA', join(d, 'ca.crt'), '-CAkey', join(d, 'ca.key'), '-CAcreateserial', '-out', join(d, `${name}.crt`), '-days', '1']);
    }
    run('openssl', ['req', '-x509', ...ec, '-keyout', join(d, 'bad.key'), '-out', join(d, 'bad.crt'), '-subj', '/CN=linkwatch-lab-refused', '-days', '1']);
  }

  private startServer(): void {
    const d = this.dir;
    this.start('openvpn-server', 'ip', ['netns', 'exec', this.server, 'openvpn', '--dev', 'lwnmsrv0', '--dev-type', 'tun', '--server', `${VPN_SUBNET}.0`, '255.255.255.0',
      '--topology', 'subnet', '--proto', 'udp', '--port', '1194', '--local', SERVER_ADDRESS, '--dh', 'none', '--ca', join(d, 'ca.crt'), '--cert', join(d, 'srv.crt'),
      '--key', join(d, 'srv.key'), '--keepalive', '1', '10', '--verb', '3', '--suppress-timestamps', '--script-security', '0']);
  }

  private async startNetworkManager(): Promise<void> {
    const d = this.dir;
    writeFileSync(join(d, 'bus.conf'), BUS_CONFIG);
    writeFileSync(join(d, 'nm.conf'), NM_CONFIG);
    const script = [
      'set -e',
      'mount -t tmpfs linkwatch-run /run',
      'mkdir -p /run/dbus /run/NetworkManager',
      'mount -t tmpfs linkwatch-nm-state /var/lib/NetworkManager',
      'mkdir -p /etc/NetworkManager/system-connections',
      'mount -t tmpfs linkwatch-nm-keyfiles /etc/NetworkManager/system-connections',
      'mount -o remount,bind,ro /sys',
      `dbus-daemon --config-file=${join(d, 'bus.conf')} --fork --print-pid > ${join(d, 'dbus.pid')}`,
      // --debug: stay in the foreground and log to stderr (this test's log), not syslog.
      `exec NetworkManager --no-daemon --debug --config=${join(d, 'nm.conf')}`,
    ].join('\n');
    writeFileSync(join(d, 'start-nm.sh'), script);
    // ip netns exec and unshare (without --fork) exec in turn: the spawned pid becomes NetworkManager's.
    const child = this.start('NetworkManager', 'ip', ['netns', 'exec', this.client, 'unshare', '--mount', '--uts', '--propagation', 'private', 'sh', join(d, 'start-nm.sh')]);
    this.nmPid = child.pid ?? 0;
    await waitFor(`NetworkManager on its private bus (log: ${this.log('NetworkManager').slice(-2000)})`, () => {
      if (child.exitCode !== null) throw new Error(`NetworkManager exited (${child.exitCode}): ${this.log('NetworkManager').slice(-2000)}`);
      return spawnSync('nsenter', this.inside('nmcli', ['-t', '-f', 'RUNNING', 'general']), { encoding: 'utf8' }).stdout.trim() === 'running';
    });
    await waitFor('the wire to be managed', () => /^wire:(disconnected|connected)/m.test(spawnSync('nsenter', this.inside('nmcli', ['-t', '-f', 'DEVICE,STATE', 'device']), { encoding: 'utf8' }).stdout));
  }

  private addProfiles(): void {
    const d = this.dir;
    this.nmcli(['connection', 'add', 'type', 'ethernet', 'ifname', 'wire', 'con-name', 'Lab wire', 'ipv4.method', 'manual', 'ipv4.addresses', `${CLIENT_ADDRESS}/24`,
      'ipv4.gateway', SERVER_ADDRESS, 'ipv6.method', 'disabled', 'connection.autoconnect', 'no']);
    this.nmcli(['connection', 'up', 'Lab wire']);
    const vpnData = (cert: string) => `remote=${SERVER_ADDRESS}, connection-type=tls, ca=${join(d, 'ca.crt')}, cert=${join(d, `${cert}.crt`)}, key=${join(d, `${cert}.key`)}, dev-type=tun`;
    this.nmcli(['connection', 'add', 'type', 'vpn', 'con-name', GOOD_PROFILE, 'vpn-type', 'openvpn', 'vpn.data', vpnData('cli'), 'connection.autoconnect', 'no']);
    this.nmcli(['connection', 'add', 'type', 'vpn', 'con-name', REFUSED_PROFILE, 'vpn-type', 'openvpn', 'vpn.data', vpnData('bad'), 'vpn.timeout', String(REFUSED_TIMEOUT_S),
      'connection.autoconnect', 'no']);
  }

  /** Synchronous, so it can run from process 'exit' too: kill everything, delete both namespaces. */
  teardown(): void {
    if (this.torn) return;
    this.torn = true;
    live.delete(this);
    for (const child of this.procs.values()) child.kill('SIGKILL');
    this.procs.clear();
    // dbus-daemon forked away from NetworkManager; NetworkManager's plugin and its OpenVPN are its children;
    // all of them live in the client namespace, which killNamespace empties.
    killNamespace(this.client);
    killNamespace(this.server);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
