/**
 * Plain words for what the core reports, shared by the popup, the tray, notifications and the CLI's table:
 * what kind of connection it is as a person would say it ("IKEv2 VPN", "WireGuard", "Broadband (PPPoE)")
 * rather than the backend's words ("WAN Miniport (IKEv2) · vpn", "tun"), and an error as a sentence, with the
 * code and the system's own text left for the details. Needs the `common` and `errors` namespaces.
 */
import type { Connection, ConnectionKind, ErrorInfo } from '../connection';
import { translate } from './index';

type TypeKey = 'type.ikev2' | 'type.sstp' | 'type.l2tp' | 'type.pptp' | 'type.pppoe' | 'type.modem' | 'type.isdn' | 'type.wireguard' | 'type.openvpn';

/** Device names and types as the backends give them (README's `deviceType`/`deviceName`), matched loosely. */
const TYPE_PATTERNS: [RegExp, TypeKey][] = [
  [/ikev2/i, 'type.ikev2'],
  [/sstp/i, 'type.sstp'],
  [/l2tp/i, 'type.l2tp'],
  [/pptp/i, 'type.pptp'],
  [/pppoe/i, 'type.pppoe'],
  [/wireguard/i, 'type.wireguard'],
  [/openvpn|ovpn-dco|tap-windows/i, 'type.openvpn'],
  [/isdn/i, 'type.isdn'],
  [/modem/i, 'type.modem'],
];

/** "IKEv2 VPN", "WireGuard", "Tailscale", "Dial-up modem"; the kind ("VPN") when nothing more is known. */
export function connectionType(connection: Pick<Connection, 'kind' | 'deviceType' | 'deviceName' | 'owner'>): string {
  const words = `${connection.deviceType} ${connection.deviceName} ${connection.owner ?? ''}`;
  for (const [pattern, key] of TYPE_PATTERNS) if (pattern.test(words)) return translate('common', key);
  // A vendor's client that owns the link says more than "VPN" (Tailscale, GlobalProtect…).
  if (connection.owner && connection.kind === 'vpn' && !/^wireguard-go$/i.test(connection.owner)) return translate('common', 'type.owned', { owner: connection.owner });
  return kindWord(connection.kind);
}

export function kindWord(kind: ConnectionKind): string {
  return translate('common', `kind.${kind}`);
}

/** "The server refused the user name or password." for 691; a general sentence with the code otherwise. */
export function errorSentence(error: ErrorInfo): string {
  const key = `code.${String(error.code)}`;
  const sentence = translate('errors', key);
  return sentence === `errors:${key}` ? translate('errors', 'unknown', { code: String(error.code) }) : sentence;
}
