import { useCallback, useEffect, useRef, useState } from 'react';
import type { ErrorInfo } from '../../shared/connection';
import type { Diagnostics } from '../../shared/diagnostics';
import type { IpcResult, LinkwatchBridge } from '../../shared/ipc';
import { addMessages, translate } from '../../shared/i18n';
import diagnosticsMessages from '../../shared/i18n/en/diagnostics.json';
import { errorSentence } from '../../shared/i18n/words';

addMessages('diagnostics', diagnosticsMessages);

const t = (key: keyof typeof diagnosticsMessages & string, values?: Record<string, string | number>): string => translate('diagnostics', key, values);

/**
 * "Why is my VPN not listed?": what `linkwatch diagnose` prints, asked of the main process once when the
 * panel opens (and again on Refresh): the backend and whether it is on push or polling, each part with its
 * last error, and every interface the OS reports with the verdict and its reason.
 */
export default function DiagnosticsPanel({ bridge, onClose }: { bridge: LinkwatchBridge | null; onClose: () => void }) {
  const [diagnostics, setDiagnostics] = useState<Diagnostics | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [loading, setLoading] = useState(true);
  const [request, setRequest] = useState(0);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => heading.current?.focus(), []);

  useEffect(() => {
    let current = true;
    const asked: Promise<IpcResult<Diagnostics>> = bridge
      ? bridge.invoke('diagnostics:get')
      : Promise.resolve({ ok: false, error: { code: 'ENOBRIDGE', message: 'window.linkwatch is missing' } });
    void asked.then((result) => {
      if (!current) return;
      if (result.ok) {
        setDiagnostics(result.value);
        setError(null);
      } else {
        setError(result.error);
      }
      setLoading(false);
    });
    return () => {
      current = false;
    };
  }, [bridge, request]);

  const refresh = useCallback(() => {
    setLoading(true);
    setRequest((n) => n + 1);
  }, []);

  return (
    <section className="diagnostics" aria-labelledby="diagnostics-title">
      <div className="diagnostics-bar">
        <h2 id="diagnostics-title" className="diagnostics-title" tabIndex={-1} ref={heading}>
          {t('title')}
        </h2>
        {/* aria-disabled keeps focus on Refresh while it works. */}
        <button type="button" className="button button-quiet" onClick={() => !loading && refresh()} aria-disabled={loading}>
          {t('refresh')}
        </button>
        <button type="button" className="button" onClick={onClose}>
          {t('back')}
        </button>
      </div>
      {loading && !diagnostics && <p className="loading">{t('loading')}</p>}
      {error && (
        <p className="diagnostics-error" role="alert">
          {errorSentence(error)} {t('error', { message: error.message, code: String(error.code) })}
        </p>
      )}
      {diagnostics && <DiagnosticsBody d={diagnostics} />}
    </section>
  );
}

function DiagnosticsBody({ d }: { d: Diagnostics }) {
  return (
    <>
      <p className="diagnostics-summary">
        {t('summary', { backend: d.backend, platform: d.platform, updates: d.updates, count: d.connections })}
      </p>
      {d.error && (
        <p className="diagnostics-error">
          {t('lastRead', { reason: errorSentence(d.error) })} {t('error', { message: d.error.message, code: String(d.error.code) })}
        </p>
      )}
      <h3 className="diagnostics-subtitle">{t('parts')}</h3>
      <ul className="diagnostics-parts" aria-label={t('parts.label')}>
        {d.parts.map((part) => (
          <li key={part.name}>
            <span className="diagnostics-name">{part.name}</span> <span className="diagnostics-detail">{part.detail}</span>{' '}
            {part.lastError ? (
              <span className="diagnostics-bad">
                {t('partError', { code: String(part.lastError.code), message: part.lastError.message })}
              </span>
            ) : (
              <span className="diagnostics-ok">{t('ok')}</span>
            )}
          </li>
        ))}
      </ul>
      <h3 className="diagnostics-subtitle">{t('interfaces')}</h3>
      {d.interfaces.length === 0 ? (
        <p className="diagnostics-detail">{t('none')}</p>
      ) : (
        <ul className="diagnostics-interfaces" aria-label={t('interfaces.label')}>
          {d.interfaces.map((i) => (
            <li key={`${i.name}-${i.connectionId ?? i.type}`} className={i.listed ? 'is-listed' : 'is-not-listed'}>
              <span className="diagnostics-verdict">{i.listed ? t('listed') : t('notListed')}</span>{' '}
              <span className="diagnostics-name">{i.name}</span>
              {i.description && i.description !== i.name && <span className="diagnostics-detail"> ({i.description})</span>}
              <span className="diagnostics-reason">{i.reason}</span>
              {i.addresses.length > 0 && <span className="diagnostics-detail">{i.addresses.join(' ')}</span>}
            </li>
          ))}
        </ul>
      )}
      {d.notes.map((note) => (
        <p key={note} className="diagnostics-detail">
          {note}
        </p>
      ))}
    </>
  );
}
