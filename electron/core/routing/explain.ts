/**
 * `linkwatch diagnose` explains the routing verdict (issue 25): for each family, what the OS's lookup said
 * and which route and rule lead there; the policy rules beyond the default ones; what each connection carries;
 * where each resolver's queries leave. Pure: from a reading, the verdict made of it, and the connections.
 */
import type { Connection, RoutingVerdict } from '../../../shared/connection';
import { WARNING_TEXT, routingSummary } from '../../../shared/routing-format';
import { displayName } from '../../../shared/format';
import type { IpFamily } from './prefix';
import { VERDICT_TARGETS, type RouteRule, type RoutingReading } from './routing-reading';
import { routeFor } from './verdict';

type Named = Pick<Connection, 'id' | 'name' | 'adHoc' | 'phoneNumber' | 'routing'>;

/** Linux's own rules (local, main, default): everything else is someone's policy, worth showing. */
function isDefaultRule(rule: RouteRule): boolean {
  return !rule.selective && !rule.invert && rule.action === 'lookup' && rule.suppressPrefixLength === null && [253, 254, 255].includes(rule.table);
}

function tableName(table: number): string {
  return table === 254 ? 'main' : table === 255 ? 'local' : table === 253 ? 'default' : String(table);
}

function ruleText(rule: RouteRule): string {
  const action = rule.action === 'lookup' ? `lookup table ${tableName(rule.table)}` : rule.action;
  const match = rule.selective ? (rule.invert ? 'traffic NOT matching its selectors (ordinary traffic included)' : 'marked or selected traffic only') : rule.invert ? 'nothing' : 'all traffic';
  const suppress = rule.suppressPrefixLength !== null ? `, ignoring routes of /${rule.suppressPrefixLength} or shorter` : '';
  return `IPv${rule.family} rule ${rule.priority}: ${match} → ${action}${suppress}`;
}

export function explainVerdict(reading: RoutingReading, verdict: RoutingVerdict, connections: readonly Named[]): string[] {
  const lines: string[] = [];
  const label = (id: string | null, iface: string | null): string => {
    if (id === null) return iface === null ? 'no route' : `${iface}, outside every listed connection`;
    const connection = connections.find((c) => c.id === id);
    return `${iface ?? '?'} = ${connection ? displayName(connection) : id}`;
  };
  for (const family of [4, 6] as IpFamily[]) {
    const target = VERDICT_TARGETS[family];
    const lookup = reading.lookups.find((l) => l.family === family);
    const byRoutes = routeFor(reading, target);
    const decided = family === 4 ? verdict.ipv4 : verdict.ipv6;
    const iface = family === 4 ? verdict.ipv4Interface : verdict.ipv6Interface;
    const how = lookup ? `the OS's route lookup for ${target} (no packet sent)` : `the routes alone for ${target} (no lookup made)`;
    lines.push(`IPv${family}: ${how} leaves by ${label(decided, iface)}${lookup?.gateway ? ` via ${lookup.gateway}` : ''}.`);
    if (byRoutes) {
      const where = `${byRoutes.destination} dev ${byRoutes.interface ?? '?'}${byRoutes.table !== 254 ? ` table ${tableName(byRoutes.table)}` : ''}${byRoutes.metric ? ` metric ${byRoutes.metric}` : ''}`;
      const agrees = !lookup || (byRoutes.interface === lookup.interface);
      lines.push(agrees ? `  route: ${where}` : `  the routes alone would pick ${where}: metrics, scoped routes or rules decide otherwise`);
    } else if (lookup?.interface) {
      lines.push('  no single route explains it by the table read (the OS decided by what Linkwatch does not read)');
    }
  }
  const policy = reading.rules.filter((rule) => !isDefaultRule(rule)).sort((a, b) => a.family - b.family || a.priority - b.priority);
  if (policy.length > 0) {
    lines.push('Policy rules:');
    for (const rule of policy) lines.push(`  ${ruleText(rule)}`);
  }
  for (const connection of connections) {
    if (!connection.routing) continue;
    const { ipv4, ipv6 } = connection.routing;
    lines.push(`${displayName(connection)}: IPv4 ${ipv4}, IPv6 ${ipv6}; carries ${routingSummary(connection.routing)}${connection.routing.dns.length > 0 ? `; supplies DNS ${connection.routing.dns.join(', ')}` : ''}.`);
  }
  if (verdict.dnsServers.length === 0) {
    lines.push(verdict.dnsSource ? `DNS (${verdict.dnsSource}): no resolver for ordinary names.` : 'DNS: the resolvers could not be read.');
  } else {
    lines.push(`DNS (${verdict.dnsSource ?? '?'}), resolvers for ordinary names:`);
    for (const server of verdict.dnsServers) lines.push(`  ${server.address}: queries leave by ${label(server.via, server.interface)}`);
  }
  for (const warning of verdict.warnings) lines.push(`Warning: ${WARNING_TEXT[warning]}.`);
  return lines;
}
