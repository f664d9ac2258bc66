/**
 * A row's details, loaded when first opened (after the list's first paint). Plain words first, then what the
 * system said, labelled, under "System details". Each part is a block of its own in DETAIL_BLOCKS: a feature
 * that has something to say about a connection (a routing verdict, a health badge, a keep-connected toggle, a
 * locked-setting marker) adds one component to that list, and it shows in every row's details.
 */
import { useState, type ComponentType, type ReactNode } from 'react';
import type { ErrorInfo } from '../../shared/connection';
import { formatBytes, formatRate } from '../../shared/format';
import { addMessages, translate } from '../../shared/i18n';
import details from '../../shared/i18n/en/details.json';
import { errorSentence } from '../error-words';
import type { Row } from '../rows';
import { rowType } from '../words';
import { useSamples } from '../use-throughput';
import { Elapsed } from './Elapsed';
import { Sparkline } from './Sparkline';
import { RoutingBlock } from './RoutingDetails';
import { HealthDetails } from './HealthDetails';
import { KeepConnectedToggle } from './KeepConnectedToggle';

addMessages('details', details);

/** What every detail block gets. */
export interface DetailBlockProps {
  row: Row;
  /** The error the row shows (a failed dial, a refused hang-up, the connection's last error). */
  error: ErrorInfo | null;
  stale: boolean;
  readAt: number | null;
}

const t = (key: keyof typeof details & string, values?: Record<string, string | number>): string => translate('details', key, values);

function Detail({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="detail">
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Summary({ row, stale, readAt }: DetailBlockProps) {
  const { connection, entry } = row;
  return (
    <dl className="details-list">
      <Detail term={t('name')}>{row.name}</Detail>
      <Detail term={t('type')}>{rowType(row)}</Detail>
      {connection?.state === 'connected' && connection.connectedSince !== null && (
        <Detail term={t('since')}>
          <Elapsed since={connection.connectedSince} frozenAt={stale ? readAt : null} />
        </Detail>
      )}
      {connection?.adHoc && <Detail term={t('number')}>{connection.phoneNumber ?? connection.name.replace(/^\./, '')}</Detail>}
      {connection?.owner && <Detail term={t('owner')}>{connection.owner}</Detail>}
      {entry && <Detail term={t('savedFor')}>{t(`scope.${entry.scope}`)}</Detail>}
      {connection?.disconnectUnavailable && <Detail term={t('disconnect')}>{t('disconnect.unavailable', { reason: connection.disconnectUnavailable })}</Detail>}
    </dl>
  );
}

function Addresses({ row }: DetailBlockProps) {
  const addresses = row.connection?.addresses ?? [];
  const [copied, setCopied] = useState<string | null>(null);
  if (addresses.length === 0) return null;
  const copy = (address: string): void => {
    void navigator.clipboard?.writeText(address).then(
      () => setCopied(address),
      () => setCopied(null),
    );
  };
  return (
    <dl className="details-list">
      <Detail term={t('addresses', { count: addresses.length })}>
        <ul className="addresses">
          {addresses.map((address) => (
            <li key={address} className="address-line">
              <span className="address" title={address}>
                {address}
              </span>
              <button type="button" className="button-link" aria-label={t('copy.name', { address })} onClick={() => copy(address)}>
                {t('copy')}
              </button>
              <span className="copied" role="status">
                {copied === address ? t('copied') : ''}
              </span>
            </li>
          ))}
        </ul>
      </Detail>
    </dl>
  );
}

function Traffic({ row, stale }: DetailBlockProps) {
  const connection = row.connection;
  const samples = useSamples(connection?.id ?? '');
  if (!connection || connection.state !== 'connected' || (connection.bytesIn === null && connection.bytesOut === null)) return null;
  const hasRates = !stale && connection.rateIn !== null && connection.rateOut !== null;
  return (
    <dl className="details-list">
      {connection.bytesIn !== null && (
        <Detail term={t('received')}>
          <span aria-hidden="true">↓ </span>
          {formatBytes(connection.bytesIn)}
          {hasRates && ` · ${formatRate(connection.rateIn ?? 0)}`}
        </Detail>
      )}
      {connection.bytesOut !== null && (
        <Detail term={t('sent')}>
          <span aria-hidden="true">↑ </span>
          {formatBytes(connection.bytesOut)}
          {hasRates && ` · ${formatRate(connection.rateOut ?? 0)}`}
        </Detail>
      )}
      {hasRates && (
        <Detail term={t('throughput')}>
          <Sparkline samples={samples} />
        </Detail>
      )}
    </dl>
  );
}

function LastError({ error }: DetailBlockProps) {
  if (!error) return null;
  return (
    <dl className="details-list">
      <Detail term={t('lastError')}>{errorSentence(error)}</Detail>
      <Detail term={t('errorCode')}>{String(error.code)}</Detail>
      <Detail term={t('errorText')}>{error.message}</Detail>
    </dl>
  );
}

/** The backend's own words, labelled, folded: what a helpdesk asks for, not what a user reads first. */
function SystemDetails({ row }: DetailBlockProps) {
  const { connection, entry } = row;
  const lines: [string, string][] = [];
  if (connection) {
    const device = [connection.deviceName, connection.deviceType].filter((part) => part.trim() !== '').join(' · ');
    if (device) lines.push([t('device'), device]);
    if (connection.stateDetail) lines.push([t('systemState'), connection.stateDetail]);
    if (connection.mtu !== null) lines.push([t('mtu'), String(connection.mtu)]);
    if (connection.phonebook) lines.push([t('phonebook'), connection.phonebook]);
  }
  if (!connection && entry?.dial?.detail) lines.push([t('systemState'), entry.dial.detail]);
  if (!connection && entry?.phonebook) lines.push([t('phonebook'), entry.phonebook]);
  if (lines.length === 0) return null;
  return (
    <details className="system-details">
      <summary>{t('system')}</summary>
      <dl className="details-list">
        {lines.map(([term, value]) => (
          <Detail key={term} term={term}>
            <span className="system-word">{value}</span>
          </Detail>
        ))}
      </dl>
    </details>
  );
}

/** The blocks of every row's details, in order. Add a feature's block here. */
export const DETAIL_BLOCKS: ComponentType<DetailBlockProps>[] = [Summary, HealthDetails, KeepConnectedToggle, Traffic, Addresses, RoutingBlock, LastError, SystemDetails];

export default function RowDetails(props: DetailBlockProps) {
  return (
    <section className="details" aria-label={t('label', { name: props.row.name })}>
      {DETAIL_BLOCKS.map((Block, index) => (
        <Block key={index} {...props} />
      ))}
    </section>
  );
}
