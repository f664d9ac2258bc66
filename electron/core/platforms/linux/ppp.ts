/**
 * What carries a ppp link. The kernel lists PPPoE sessions in /proc/net/pppoe (drivers/net/ppp/pppoe.c:
 * session id, peer MAC and the Ethernet device, but not the pppN it feeds) and L2TP sessions in
 * /proc/net/pppol2tp (net/l2tp/l2tp_ppp.c: an "interface pppN" line under each session that has one).
 * So L2TP is known per interface, PPPoE only per machine: when every ppp link not claimed by L2TP can be a
 * PPPoE session, they all are; when there are fewer sessions than links, which one is which is unknown.
 */

export type PppCarrier = 'pppoe' | 'l2tp' | 'serial' | 'unknown';

/** Number of sessions in /proc/net/pppoe (the first line is a header). Empty or missing text: none. */
export function countPppoeSessions(text: string | null): number {
  if (!text) return 0;
  return text
    .split('\n')
    .slice(1)
    .filter((line) => line.trim().length > 0).length;
}

/** Interface names in /proc/net/pppol2tp, line by line: an `interface` line without a name takes none from the next. */
export function parsePppol2tpInterfaces(text: string | null): Set<string> {
  const names = new Set<string>();
  if (!text) return names;
  for (const line of text.split('\n')) {
    const match = /^[ \t]*interface[ \t]+(\S+)[ \t\r]*$/.exec(line);
    if (match?.[1]) names.add(match[1]);
  }
  return names;
}

export function classifyPppLinks(ifnames: readonly string[], pppoeText: string | null, pppol2tpText: string | null): Map<string, PppCarrier> {
  const l2tp = parsePppol2tpInterfaces(pppol2tpText);
  const pppoeSessions = countPppoeSessions(pppoeText);
  const rest = ifnames.filter((name) => !l2tp.has(name));
  const result = new Map<string, PppCarrier>();
  for (const name of ifnames) {
    if (l2tp.has(name)) result.set(name, 'l2tp');
    else if (pppoeSessions === 0) result.set(name, 'serial');
    else if (pppoeSessions >= rest.length) result.set(name, 'pppoe');
    else result.set(name, 'unknown');
  }
  return result;
}
