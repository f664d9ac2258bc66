import { useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { HistorySession } from '../../shared/history';
import { useNow } from '../clock';
import { displayName, formatBytes, formatDuration } from '../../shared/format';
import { translate } from '../../shared/i18n';
import { formatClockTime } from '../../shared/i18n/intl-format';
import { errorSentence } from '../../shared/i18n/words';
import { dayLabel, dayTotal, dropReason, endLabel, groupByDay, sessionDuration, sessionSummary, spokenDayTotal } from '../history-format';
import type { HistoryState } from '../use-history';

const clockTime = formatClockTime;

/**
 * Today's and the recent days' sessions, newest first, under a heading per day with the day's totals. A drop
 * is marked in words and colour, with its reason. The sessions are one keyboard stop: ↑/↓ move between them,
 * Home/End jump, each one read out as a sentence.
 */
export function HistoryView({ history, retention }: { history: HistoryState; retention?: ReactNode }) {
  const now = useNow();
  const rootRef = useRef<HTMLDivElement>(null);
  // The session holding the one tab stop: the last one focused, else the newest.
  const [activeId, setActiveId] = useState<number | null>(null);
  const { loaded, sessions, days, error } = history;
  const groups = groupByDay(sessions);
  const totals = new Map(days.map((day) => [day.day, day]));

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const items = [...(rootRef.current?.querySelectorAll<HTMLLIElement>('[data-session]') ?? [])];
    if (items.length === 0) return;
    const index = items.findIndex((item) => item === document.activeElement);
    let target: number;
    if (event.key === 'ArrowDown') target = index < 0 ? 0 : Math.min(index + 1, items.length - 1);
    else if (event.key === 'ArrowUp') target = index < 0 ? 0 : Math.max(index - 1, 0);
    else if (event.key === 'Home') target = 0;
    else if (event.key === 'End') target = items.length - 1;
    else return;
    event.preventDefault();
    items[target]?.focus();
  };

  if (error) {
    return (
      <div className="banner" role="alert">
        <div className="banner-text">
          <strong>{translate('history', 'error.title')}</strong>
          <span className="banner-message">{errorSentence(error)}</span>
          <span className="banner-code">
            {translate('popup', 'error.code', { code: String(error.code) })} · {translate('popup', 'error.system', { text: error.message })}
          </span>
        </div>
      </div>
    );
  }
  if (!loaded) return <p className="loading">{translate('history', 'loading')}</p>;
  if (groups.length === 0) {
    return (
      <>
        <p className="history-empty">{translate('history', 'empty')}</p>
        {retention}
      </>
    );
  }

  const stop = sessions.some((session) => session.id === activeId) ? activeId : (groups[0]?.sessions[0]?.id ?? null);
  return (
    <div ref={rootRef} className="history" onKeyDown={onKeyDown}>
      {groups.map(({ day, sessions: daySessions }) => {
        const label = dayLabel(day, now);
        const total = totals.get(day);
        return (
          <section key={day} className="history-day" aria-label={total ? spokenDayTotal(label, total) : label}>
            <h2 className="history-day-title">
              <span>{label}</span>
              {total && <span className="history-day-total">{dayTotal(total)}</span>}
            </h2>
            <ul className="list history-list" aria-label={translate('history', 'sessions.label', { day: label })}>
              {daySessions.map((session) => (
                <SessionItem key={session.id} session={session} now={now} tabIndex={session.id === stop ? 0 : -1} onFocus={() => setActiveId(session.id)} />
              ))}
            </ul>
          </section>
        );
      })}
      {retention}
    </div>
  );
}

function SessionItem({ session, now, tabIndex, onFocus }: { session: HistorySession; now: number; tabIndex: number; onFocus(): void }) {
  const reason = dropReason(session);
  const end = session.end ?? 'open';
  return (
    <li className={`session session-${end}`} data-session="" tabIndex={tabIndex} onFocus={onFocus} aria-label={sessionSummary(session, now, clockTime)}>
      <div className="session-line">
        <span className="session-name">{displayName(session)}</span>
        <span className="session-time">
          {clockTime(session.connectedAt)}–{session.endedAt === null ? translate('history', 'now') : clockTime(session.endedAt)}
        </span>
        <span className="session-duration">{formatDuration(sessionDuration(session, now))}</span>
      </div>
      <div className="session-line">
        <span className={`session-end session-end-${end}`}>{endLabel(session)}</span>
        {session.bytesIn !== null && session.bytesOut !== null && (
          <span className="session-bytes">
            ↓ {formatBytes(session.bytesIn)} ↑ {formatBytes(session.bytesOut)}
          </span>
        )}
      </div>
      {reason && <p className="session-reason">{reason}</p>}
    </li>
  );
}
