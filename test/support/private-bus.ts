/**
 * A private "system" bus for a test: dbus-daemon with a config of `<type>system</type>`, a socket in a
 * temporary folder and an allow-all policy (TOOLCHAIN.md, "NetworkManager without NetworkManager"). Nothing
 * of the host's bus is touched. Used by the NetworkManager and systemd-resolved stand-ins (nm-bus.ts,
 * resolved-bus.ts) and, with NetworkManager's own socket path, by the real-NetworkManager tier (real-nm.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** dbus-daemon's configuration for a system bus listening on `listen` (a `unix:path=` address). */
export function busConfig(listen: string): string {
  return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>${listen}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow receive_sender="*"/>
    <allow send_type="method_call"/>
    <allow send_type="signal"/>
  </policy>
</busconfig>
`;
}

export interface PrivateBus {
  address: string;
  stop(): void;
}

export function startPrivateBus(): PrivateBus {
  const dir = mkdtempSync(join(tmpdir(), 'linkwatch-bus-'));
  const socket = join(dir, 'system_bus_socket');
  const config = join(dir, 'bus.conf');
  writeFileSync(config, busConfig(`unix:path=${socket}`));
  const daemon = spawnSync('dbus-daemon', [`--config-file=${config}`, '--fork', '--print-pid'], { encoding: 'utf8' });
  if (daemon.status !== 0) throw new Error(`dbus-daemon failed: ${daemon.stderr}`);
  const pid = Number(daemon.stdout.trim());
  return {
    address: `unix:path=${socket}`,
    stop: () => {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
