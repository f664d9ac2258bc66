/**
 * How the History view words sessions and days, through the catalogue's `history` namespace. Pure (the clock
 * and the formatters are passed in or come from Intl), so the unit tests run it under plain Node.
 */
import type { HistoryDay, HistorySession } from '../shared/history';
import { displayName, formatBytes, formatDuration } from '../shared/format';
import { translate } from '../shared/i18n';
import { formatDay, spokenDuration } from '../shared/i18n/intl-format';
import { errorSentence, kindWord } from '../shared/i18n/words';

const t = (key: string, values?: Record<string, string | number>): string => translate('history', key, values);

const END_KEYS = { dropped: 'end.dropped', 'hung-up': 'end.hungUp', unknown: 'end.unknown' } as const;

/** "Dropped", "Hung up from Linkwatch", "Unknown end", or "Up now" for an open session. */
export function endLabel(session: Pick<HistorySession, 'end'>): string {
  return t(session.end === null ? 'end.open' : END_KEYS[session.end]);
}

/** Why it went, for a drop: its last error as a sentence, or that the backend gave none. */
export function dropReason(session: Pick<HistorySession, 'end' | 'lastError' | 'lastStateDetail'>): string | null {
  if (session.end !== 'dropped') return null;
  if (session.lastError) return t('reason.error', { reason: errorSentence(session.lastError) });
  return t('reason.none');
}

/** `YYYY-MM-DD` of an instant in local time, as the store groups days. */
export function localDay(epoch: number): string {
  const date = new Date(epoch);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

/** "Today", "Yesterday", or the date ("Mon, 30 Nov" in the locale's order). */
export function dayLabel(day: string, now: number, format: (epoch: number) => string = formatDay): string {
  if (day === localDay(now)) return t('today');
  const yesterday = new Date(now);
  yesterday.setDate(yesterday.getDate() - 1);
  if (day === localDay(yesterday.getTime())) return t('yesterday');
  const [year, month, date] = day.split('-').map(Number);
  return format(new Date(year ?? 1970, (month ?? 1) - 1, date ?? 1).getTime());
}

function spoken(milliseconds: number): string {
  return spokenDuration(milliseconds) ?? translate('common', 'lessThanAMinute');
}

/** "3 sessions · 1 drop · up 4h 12m · ↓ 1.2 GB ↑ 80 MB" */
export function dayTotal(day: HistoryDay): string {
  const total = t('day.total', { sessions: day.sessions, drops: day.drops, duration: formatDuration(day.upMs) });
  if (day.bytesIn === null && day.bytesOut === null) return total;
  return `${total} · ${t('day.bytes', { received: formatBytes(day.bytesIn ?? 0), sent: formatBytes(day.bytesOut ?? 0) })}`;
}

/** The same, for a screen reader. */
export function spokenDayTotal(label: string, day: HistoryDay): string {
  const text = t('day.spoken', { day: label, sessions: day.sessions, drops: day.drops, duration: spoken(day.upMs) });
  if (day.bytesIn === null && day.bytesOut === null) return text;
  return text + t('day.spokenBytes', { received: formatBytes(day.bytesIn ?? 0), sent: formatBytes(day.bytesOut ?? 0) });
}

/** How long it was (or has been) up. */
export function sessionDuration(session: Pick<HistorySession, 'durationMs' | 'connectedAt'>, now: number): number {
  return session.durationMs ?? Math.max(0, now - session.connectedAt);
}

/** One sentence for a session's item: what, when, how long, how it ended and why. */
export function sessionSummary(session: HistorySession, now: number, time: (epoch: number) => string): string {
  const common = { type: kindWord(session.kind), name: displayName(session), start: time(session.connectedAt), duration: spoken(sessionDuration(session, now)), end: endLabel(session).toLowerCase() };
  let text = session.endedAt === null ? t('session.spoken.open', common) : t('session.spoken.closed', { ...common, stop: time(session.endedAt) });
  const reason = dropReason(session);
  if (reason) text += t('session.spoken.reason', { reason: reason.charAt(0).toLowerCase() + reason.slice(1) });
  if (session.bytesIn !== null && session.bytesOut !== null) text += t('session.spoken.bytes', { received: formatBytes(session.bytesIn), sent: formatBytes(session.bytesOut) });
  return text;
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
