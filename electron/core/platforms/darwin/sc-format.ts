/**
 * What Apple's `scutil` prints, decoded as pure functions (never throwing: text from another program is
 * outside input). The formats, from configd-1405 (apple-oss-distributions/configd):
 *
 * - Property lists: SCPrint's `%@` goes through _SCCopyDescription (SystemConfiguration.fproj/SCD.c): a
 *   dictionary is `<dictionary> {`, then one line per key, sorted, each `<prefix>  <key> : <value>`, then
 *   `<prefix>}`; an array is `<array> {` with `  <index> : <value>` lines; a nested value starts on its key's
 *   line and its own lines are indented two more spaces; strings and numbers print as they are, booleans
 *   `TRUE`/`FALSE`, data `<data> 0x…`. Nothing is quoted or escaped, so a string holding a newline cannot be
 *   told from the structure: such a value ends at the line break here.
 * - `scutil --nc list` (scutil.tproj/nc.c nc_list, nc_print_VPN_service): a header line, then per service
 *   `%@ %@ %@ %@ %@ [%@%@%@]`: `*` (enabled) or a space; `(Status)` padded to 16; the service id; the
 *   interface's localized display name padded to 18 (it may hold spaces: `VPN (com.wireguard.macos)`); the
 *   name in double quotes, padded to 32; `[type]` or `[type:subtype]`. The padding is CFStringPad to
 *   MAX(length of the bare value, width), which TRUNCATES a quoted value longer than that: a name of 31
 *   characters loses its closing quote, a longer one its last character too (CF's CFStringPad: "if it is
 *   less, truncation takes place").
 * - Status words (nc.c nc_status_string): Invalid, Disconnected, Connecting, Connected, Disconnecting.
 * - `scutil --nc status <service>`: the status word (`Invalid: <SCErrorString>` for Invalid), then
 *   `Extended Status <dictionary> {…}` when the service has one. `scutil --nc watch` prints the same after
 *   `Current status = ` and then after `Callback (<n>) status = ` for every change, each preceded by a
 *   blank line and `*** hh:mm:ss.mmm`; SCPrint flushes each line (SCD.c __SCPrint), so it streams.
 * - The dynamic store (scutil.tproj/cache.c do_show): `show <pattern> pattern` prints one dictionary of every
 *   matching key (SCDynamicStoreCopyMultiple; patterns are anchored, configd.tproj/pattern.c), an error as
 *   `  <SCErrorString>`.
 */

export type ScValue = string | ScValue[] | { [key: string]: ScValue };
export type ScDictionary = { [key: string]: ScValue };

export const NC_STATUSES = ['Invalid', 'Disconnected', 'Connecting', 'Connected', 'Disconnecting'] as const;
export type NcStatus = (typeof NC_STATUSES)[number];

function isNcStatus(word: string): word is NcStatus {
  return (NC_STATUSES as readonly string[]).includes(word);
}

interface Cursor {
  lines: string[];
  at: number;
}

/** A value whose first line (after `key : `) is `head`; its own lines are indented `indent` + 2. */
function parseValue(head: string, cursor: Cursor, indent: string): ScValue {
  const kind = head === '<dictionary> {' ? 'dictionary' : head === '<array> {' ? 'array' : null;
  if (!kind) return head;
  const inner = `${indent}  `;
  const dictionary: ScDictionary = {};
  const array: ScValue[] = [];
  while (cursor.at < cursor.lines.length) {
    const line = cursor.lines[cursor.at]!;
    if (line === `${indent}}`) {
      cursor.at++;
      break;
    }
    if (!line.startsWith(inner)) break; // not this block's: a truncated or foreign text, keep what we have
    cursor.at++;
    const body = line.slice(inner.length);
    const split = body.indexOf(' : ');
    if (split < 0) continue;
    const key = body.slice(0, split);
    const value = parseValue(body.slice(split + 3), cursor, inner);
    if (kind === 'dictionary') dictionary[key] = value;
    else array.push(value);
  }
  return kind === 'dictionary' ? dictionary : array;
}

/**
 * Every top-level property list in a text (each starting `<dictionary> {` or `<array> {` at column 0, as
 * `show` prints them), in order; other lines (errors, notes) are skipped.
 */
export function parseScDescriptions(text: string): ScValue[] {
  const cursor: Cursor = { lines: text.split('\n'), at: 0 };
  const out: ScValue[] = [];
  while (cursor.at < cursor.lines.length) {
    const line = cursor.lines[cursor.at++]!;
    const start = line.indexOf('<dictionary> {') >= 0 ? line.indexOf('<dictionary> {') : line.indexOf('<array> {');
    if (start < 0 || line.slice(start).trim() !== line.slice(start)) continue;
    out.push(parseValue(line.slice(start), cursor, ''));
  }
  return out;
}

export function isDictionary(value: ScValue | undefined): value is ScDictionary {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface NcService {
  enabled: boolean;
  status: NcStatus | null;
  serviceId: string;
  /** The interface's localized display name (informational only). */
  displayName: string;
  name: string;
  /** The name was cut by scutil's padding (31 characters or more): it may lack its last character. */
  truncated: boolean;
  type: string;
  subtype: string | null;
}

const NC_LINE = /^([* ]) \(([A-Za-z]+)\)\s+(\S+) (.*?) {0,}"(.*)$/;

/** `scutil --nc list` → its services. Lines that do not fit the format are skipped. */
export function parseNcList(text: string): NcService[] {
  const out: NcService[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\s+$/, '');
    const bracket = line.lastIndexOf(' [');
    if (bracket < 0 || !line.endsWith(']')) continue;
    const types = line.slice(bracket + 2, -1);
    const m = NC_LINE.exec(line.slice(0, bracket));
    if (!m) continue;
    const [, star, status, serviceId, displayName, quoted] = m as unknown as [string, string, string, string, string, string];
    // The quoted name, padded after its closing quote; a missing closing quote means CFStringPad cut it.
    const body = quoted.replace(/\s+$/, '');
    const closed = body.endsWith('"');
    const colon = types.indexOf(':');
    out.push({
      enabled: star === '*',
      status: isNcStatus(status) ? status : null,
      serviceId,
      displayName: displayName.trim(),
      name: closed ? body.slice(0, -1) : body,
      truncated: !closed,
      type: colon < 0 ? types : types.slice(0, colon),
      subtype: colon < 0 ? null : types.slice(colon + 1),
    });
  }
  return out;
}

export interface NcStatusReport {
  status: NcStatus | null;
  /** SCErrorString after `Invalid: `. */
  error: string | null;
  extended: ScDictionary | null;
}

/** One status line's word (`Connected`, `Invalid: No such service`), or null when the line is not one. */
export function parseStatusWord(line: string): { status: NcStatus; error: string | null } | null {
  const m = /^(?:Current status = |Callback \(\d+\) status = )?([A-Za-z]+)(?:: (.*))?$/.exec(line.trim());
  if (!m || !isNcStatus(m[1]!)) return null;
  return { status: m[1] as NcStatus, error: m[2] ?? null };
}

/** `scutil --nc status <service>` → its status and extended status. */
export function parseNcStatus(text: string): NcStatusReport {
  const lines = text.split('\n');
  const word = lines.map(parseStatusWord).find((w) => w !== null) ?? null;
  const extendedAt = text.indexOf('Extended Status ');
  const extended = extendedAt >= 0 ? (parseScDescriptions(text.slice(extendedAt + 'Extended Status '.length))[0] ?? null) : null;
  return { status: word?.status ?? null, error: word?.error ?? null, extended: isDictionary(extended ?? undefined) ? (extended as ScDictionary) : null };
}

/**
 * The reason a service gave for its last disconnection: the first `LastCause` number in its extended status
 * (PPP, IPSec and VPN entities each keep one; 0 is "none"), or null.
 */
export function lastCause(extended: ScDictionary | null): number | null {
  if (!extended) return null;
  const stack: ScValue[] = [extended];
  while (stack.length > 0) {
    const value = stack.pop()!;
    if (!isDictionary(value)) continue;
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'LastCause' && typeof inner === 'string' && /^\d+$/.test(inner) && inner !== '0') return Number(inner);
      if (typeof inner === 'object') stack.push(inner);
    }
  }
  return null;
}

/** Which interface each service's State entities name: `State:/Network/Service/<id>/IPv4` (and IPv6) InterfaceName. */
export function interfacesByService(state: ScValue | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!isDictionary(state)) return out;
  for (const [key, value] of Object.entries(state)) {
    const m = /^State:\/Network\/Service\/([^/]+)\/IPv[46]$/.exec(key);
    if (!m || !isDictionary(value)) continue;
    const name = value.InterfaceName;
    if (typeof name === 'string' && name !== '' && !out.has(m[1]!)) out.set(m[1]!, name);
  }
  return out;
}

/** The UserDefinedName of each service in `Setup:/Network/Service/<id>` (SCSchemaDefinitions kSCPropUserDefinedName). */
export function userDefinedNames(setup: ScValue | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!isDictionary(setup)) return out;
  for (const [key, value] of Object.entries(setup)) {
    const m = /^Setup:\/Network\/Service\/([^/]+)$/.exec(key);
    if (!m || !isDictionary(value)) continue;
    const name = value.UserDefinedName;
    if (typeof name === 'string' && name !== '') out.set(m[1]!, name);
  }
  return out;
}
