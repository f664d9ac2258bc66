/**
 * How the History view words sessions and days. Pure (the clock and the locale's formatters are passed in or
 * fixed), so the unit tests run it under plain Node.
 */
import type { HistoryDay, HistorySession, SessionEnd } from '../shared/history';
import { displayName, formatBytes, formatDuration } from '../shared/format';
import { formatError, kindLabel, spokenDuration } from './format';

const END_LABELS: Record<SessionEnd, string> = { dropped: 'Dropped', 'hung-up': 'Hung up from Linkwatch', unknown: 'Unknown end' };

/** "Dropped", "Hung up from Linkwatch", "Unknown end", or "Up now" for an open session. */
export function endLabel(session: Pick<HistorySession, 'end'>): string {
  return session.end === null ? 'Up now' : END_LABELS[session.end];
}

/** Why it went, for a drop: its last error, or that the backend gave none. */
export function dropReason(session: Pick<HistorySession, 'end' | 'lastError' | 'lastStateDetail'>): string | null {
  if (session.end !== 'dropped') return null;
  if (session.lastError) return `Last error: ${formatError(session.lastError)}`;
  return 'No error was reported before it went';
}

/** `YYYY-MM-DD` of an instant in local time, as the store groups days. */
export function localDay(epoch: number): string {
  const date = new Date(epoch);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

/** "Today", "Yesterday", or the date ("Mon, 30 Nov" in the page's locale). */
export function dayLabel(day: string, now: number, format: (date: Date) => string = defaultDayFormat): string {
  if (day === localDay(now)) return 'Today';
  const yesterday = new Date(now);
  yesterday.setDate(yesterday.getDate() - 1);
  if (day === localDay(yesterday.getTime())) return 'Yesterday';
  const [year, month, date] = day.split('-').map(Number);
  return format(new Date(year ?? 1970, (month ?? 1) - 1, date ?? 1));
}

function defaultDayFormat(date: Date): string {
  return date.toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short' });
}

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

/** "3 sessions · 1 drop · up 4h 12m · ↓ 1.2 GB ↑ 80 MB" */
export function dayTotal(day: HistoryDay): string {
  const parts = [plural(day.sessions, 'session'), plural(day.drops, 'drop'), `up ${formatDuration(day.upMs)}`];
  if (day.bytesIn !== null || day.bytesOut !== null) parts.push(`↓ ${formatBytes(day.bytesIn ?? 0)} ↑ ${formatBytes(day.bytesOut ?? 0)}`);
  return parts.join(' · ');
}

/** The same, for a screen reader. */
export function spokenDayTotal(label: string, day: HistoryDay): string {
  const parts = [plural(day.sessions, 'session'), plural(day.drops, 'drop'), `up ${spokenDuration(day.upMs)} in all`];
  if (day.bytesIn !== null || day.bytesOut !== null) parts.push(`received ${formatBytes(day.bytesIn ?? 0)}, sent ${formatBytes(day.bytesOut ?? 0)}`);
  return `${label}: ${parts.join(', ')}`;
}

/** How long it was (or has been) up. */
export function sessionDuration(session: Pick<HistorySession, 'durationMs' | 'connectedAt'>, now: number): number {
  return session.durationMs ?? Math.max(0, now - session.connectedAt);
}

/** One sentence for a session's item: what, when, how long, how it ended and why. */
export function sessionSummary(session: HistorySession, now: number, time: (epoch: number) => string): string {
  const parts = [`${kindLabel(session.kind)} ${displayName(session)}`];
  const span = session.endedAt === null ? `connected at ${time(session.connectedAt)}` : `${time(session.connectedAt)} to ${time(session.endedAt)}`;
  parts.push(span, `up ${spokenDuration(sessionDuration(session, now))}`, endLabel(session).toLowerCase());
  const reason = dropReason(session);
  if (reason) parts.push(reason.charAt(0).toLowerCase() + reason.slice(1));
  if (session.bytesIn !== null && session.bytesOut !== null) parts.push(`received ${formatBytes(session.bytesIn)}, sent ${formatBytes(session.bytesOut)}`);
  return parts.join(', ');
}

/** Sessions by local day of their start, newest day and newest session first. */
export function groupByDay(sessions: readonly HistorySession[]): { day: string; sessions: HistorySession[] }[] {
  const groups = new Map<string, HistorySession[]>();
  for (const session of [...sessions].sort((a, b) => b.connectedAt - a.connectedAt || b.id - a.id)) {
    const day = localDay(session.connectedAt);
    const group = groups.get(day);
    if (group) group.push(session);
    else groups.set(day, [session]);
  }
  return [...groups].map(([day, list]) => ({ day, sessions: list }));
}
