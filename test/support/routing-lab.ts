/**
 * Real routing setups for issue 25, in two network namespaces joined by a veth "wire" (the client's LAN:
 * 198.18.0.0/24 and fd18::/64, RFC 2544 and ULA ranges, with the server as the client's default gateway for
 * both families). On top: an OpenVPN server in server mode pushing what the test asks (`redirect-gateway def1`,
 * `route 10.99.0.0 255.255.0.0`), or a wireguard-go tunnel set up as wg-quick does for AllowedIPs 0.0.0.0/0
 * (fwmark 51820, its default route in table 51820, `not fwmark` and `suppress_prefixlength 0` rules). Every
 * packet stays in the two namespaces; route lookups (`ip route get`, the verdict) send nothing.
 *
 * The client namespace's resolv.conf is /etc/netns/<ns>/resolv.conf, which `ip netns exec` bind-mounts over
 * /etc/resolv.conf in a mount namespace of its own (ip-netns(8)). Teardown as TunnelLab's: always, and a run
 * cleans what a crashed run left (the namespaces are named lw-srv/cli-<pid>-<n> like TunnelLab's).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanLeftovers } from './tunnels';

const WG_SOCKET_DIR = '/var/run/wireguard';
let labs = 0;
const live = new Set<RoutingLab>();
process.on('exit', () => {
  for (const lab of live) lab.teardown();
});

function run(cmd: string, args: string[], input?: string): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

export class RoutingLab {
  readonly server: string;
  readonly client: string;
  /** The tunnel's interface in the client namespace (OpenVPN or WireGuard, one at a time). */
  readonly ifname: string;
  private readonly dir: string;
  private readonly procs: ChildProcess[] = [];
  private readonly logs = new Map<string, string>();
  private torn = false;

  constructor() {
    labs += 1;
    const tag = `${process.pid}-${50 + labs}`;
    this.server = `lw-srv-${tag}`;
    this.client = `lw-cli-${tag}`;
    this.ifname = `lwr${process.pid % 100000}${labs}`;
    this.dir = mkdtempSync(join(tmpdir(), 'lw-routing-'));
    live.add(this);
  }

  /** The namespaces and the LAN; `ipv6` gives both ends an IPv6 address and the client an IPv6 default route. */
  setup(options: { ipv6: boolean }): void {
    cleanLeftovers();
    for (const ns of [this.server, this.client]) {
      run('ip', ['netns', 'add', ns]);
      run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    }
    run('ip', ['-n', this.server, 'link', 'add', 'wire', 'type', 'veth', 'peer', 'name', 'wire', 'netns', this.client]);
    run('ip', ['-n', this.server, 'addr', 'add', '198.18.0.1/24', 'dev', 'wire']);
    run('ip', ['-n', this.client, 'addr', 'add', '198.18.0.2/24', 'dev', 'wire']);
    if (options.ipv6) {
      run('ip', ['-n', this.server, 'addr', 'add', 'fd18::1/64', 'dev', 'wire', 'nodad']);
      run('ip', ['-n', this.client, 'addr', 'add', 'fd18::2/64', 'dev', 'wire', 'nodad']);
    }
    for (const ns of [this.server, this.client]) run('ip', ['-n', ns, 'link', 'set', 'wire', 'up']);
    run('ip', ['-n', this.client, 'route', 'add', 'default', 'via', '198.18.0.1', 'dev', 'wire']);
    if (options.ipv6) run('ip', ['-n', this.client, '-6', 'route', 'add', 'default', 'via', 'fd18::1', 'dev', 'wire']);
  }

  /** The client namespace's /etc/resolv.conf (as `ip netns exec` shows it to what it runs). */
  resolvConf(text: string): void {
    const dir = `/etc/netns/${this.client}`;
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'resolv.conf'), text);
  }

  private start(name: string, ns: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', ns, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    this.logs.set(name, '');
    const append = (chunk: Buffer): void => void this.logs.set(name, (this.logs.get(name) ?? '') + chunk.toString());
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    this.procs.push(child);
    return child;
  }

  log(name: string): string {
    return this.logs.get(name) ?? '';
  }

  /**
   * An OpenVPN server (server mode, TLS with self-signed EC certificates pinned by fingerprint) pushing `push`
   * to a client that pulls it; resolves once the client says "Initialization Sequence Completed", i.e. after
   * it installed the pushed routes itself (no scripts run: --script-security 0).
   */
  async openvpn(push: string[]): Promise<void> {
    const fingerprint = (name: string): string => {
      const key = join(this.dir, `${name}.key`);
      const crt = join(this.dir, `${name}.crt`);
      run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', crt, '-subj', `/CN=linkwatch-${name}`, '-days', '1']);
      return new X509Certificate(run('cat', [crt])).fingerprint256;
    };
    const srv = fingerprint('srv');
    const cli = fingerprint('cli');
    const common = (side: string): string[] => ['openvpn', '--dev', this.ifname, '--dev-type', 'tun', '--proto', 'udp', '--port', '1194', '--dh', 'none',
      '--cert', join(this.dir, `${side}.crt`), '--key', join(this.dir, `${side}.key`), '--verb', '3', '--suppress-timestamps', '--script-security', '0', '--ping', '1'];
    this.start('ovpn-srv', this.server, [...common('srv'), '--mode', 'server', '--tls-server', '--local', '198.18.0.1', '--topology', 'subnet',
      '--ifconfig', '10.77.0.1', '255.255.255.0', '--ifconfig-pool', '10.77.0.2', '10.77.0.9', '--push', 'topology subnet', '--push', 'route-gateway 10.77.0.1',
      ...push.flatMap((p) => ['--push', p]), '--peer-fingerprint', cli]);
    await waitFor('the OpenVPN server', () => this.log('ovpn-srv').includes('Initialization Sequence Completed'));
    this.start('ovpn-cli', this.client, [...common('cli'), '--client', '--remote', '198.18.0.1', '--nobind', '--peer-fingerprint', srv]);
    await waitFor(`the OpenVPN client (${this.log('ovpn-cli').slice(-400)})`, () => this.log('ovpn-cli').includes('Initialization Sequence Completed'));
  }

  /**
   * wireguard-go in both namespaces; on the client, wg-quick's steps for AllowedIPs 0.0.0.0/0 (and ::/0 with
   * `ipv6`): `wg set fwmark 51820`, the default route in table 51820, `ip rule add not fwmark 51820 table
   * 51820`, `ip rule add table main suppress_prefixlength 0` (wg-quick(8), add_default).
   */
  async wireguardAsWgQuick(options: { ipv6: boolean }): Promise<void> {
    const srvIf = this.ifname.replace('lwr', 'lws');
    const key = (name: string): { file: string; pub: string } => {
      const priv = run('wg', ['genkey']).trim();
      const file = join(this.dir, `wg-${name}.key`);
      writeFileSync(file, priv, { mode: 0o600 });
      return { file, pub: run('wg', ['pubkey'], priv).trim() };
    };
    const srv = key('srv');
    const cli = key('cli');
    this.start('wg-srv', this.server, ['wireguard-go', srvIf], { WG_PROCESS_FOREGROUND: '1' });
    this.start('wg-cli', this.client, ['wireguard-go', this.ifname], { WG_PROCESS_FOREGROUND: '1' });
    await waitFor('the wireguard-go sockets', () => existsSync(`${WG_SOCKET_DIR}/${srvIf}.sock`) && existsSync(`${WG_SOCKET_DIR}/${this.ifname}.sock`));
    run('ip', ['netns', 'exec', this.server, 'wg', 'set', srvIf, 'listen-port', '51820', 'private-key', srv.file, 'peer', cli.pub, 'allowed-ips', '10.78.0.2/32']);
    run('ip', ['-n', this.server, 'addr', 'add', '10.78.0.1/24', 'dev', srvIf]);
    run('ip', ['-n', this.server, 'link', 'set', srvIf, 'up']);
    const allowed = options.ipv6 ? '0.0.0.0/0,::/0' : '0.0.0.0/0';
    run('ip', ['netns', 'exec', this.client, 'wg', 'set', this.ifname, 'fwmark', '51820', 'private-key', cli.file, 'peer', srv.pub, 'endpoint', '198.18.0.1:51820', 'allowed-ips', allowed]);
    run('ip', ['-n', this.client, 'addr', 'add', '10.78.0.2/24', 'dev', this.ifname]);
    run('ip', ['-n', this.client, 'link', 'set', this.ifname, 'up']);
    for (const family of options.ipv6 ? ['-4', '-6'] : ['-4']) {
      run('ip', ['-n', this.client, family, 'route', 'add', family === '-4' ? '0.0.0.0/0' : '::/0', 'dev', this.ifname, 'table', '51820']);
      run('ip', ['-n', this.client, family, 'rule', 'add', 'not', 'fwmark', '51820', 'table', '51820']);
      run('ip', ['-n', this.client, family, 'rule', 'add', 'table', 'main', 'suppress_prefixlength', '0']);
    }
  }

  /** `ip route get` in the client namespace: the interface a packet to `target` would leave by, or null. */
  routeGet(target: string): string | null {
    const r = spawnSync('ip', ['-n', this.client, '-j', 'route', 'get', target], { encoding: 'utf8' });
    if (r.status !== 0) return null;
    const [route] = JSON.parse(r.stdout) as { dev?: string; type?: string }[];
    return route?.type && route.type !== 'unicast' ? null : (route?.dev ?? null);
  }

  /** An interface's index in the client namespace. */
  ifindex(ifname: string): number {
    const [link] = JSON.parse(run('ip', ['-n', this.client, '-j', 'link', 'show', 'dev', ifname])) as { ifindex: number }[];
    return link!.ifindex;
  }

  /** Start the linkwatch CLI inside the client namespace (its netlink, its resolv.conf); killed at teardown. */
  spawnCli(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', this.client, process.execPath, '--import', 'tsx', join(import.meta.dirname, '../../electron/core/cli.ts'), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    this.procs.push(child);
    return child;
  }

  /** Run a command of iproute2 in the client namespace (`ip -n <client> ...`). */
  ip(args: string[]): void {
    run('ip', ['-n', this.client, ...args]);
  }

  /** Run the linkwatch CLI inside the client namespace to its end. */
  cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = this.spawnCli(args, env);
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
      child.once('exit', (code) => resolve({ code, stdout, stderr }));
    });
  }

  /** Synchronous, so it can run from process 'exit' too. */
  teardown(): void {
    if (this.torn) return;
    this.torn = true;
    live.delete(this);
    for (const child of this.procs) child.kill('SIGKILL');
    for (const ns of [this.client, this.server]) {
      const pids = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).stdout.split(/\s+/).filter(Boolean).map(Number);
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      spawnSync('ip', ['netns', 'delete', ns], { stdio: 'ignore' });
    }
    rmSync(`/etc/netns/${this.client}`, { recursive: true, force: true });
    for (const ifname of [this.ifname, this.ifname.replace('lwr', 'lws')]) rmSync(`${WG_SOCKET_DIR}/${ifname}.sock`, { force: true });
    rmSync(this.dir, { recursive: true, force: true });
  }
}
