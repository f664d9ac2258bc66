import type { ConnectionKind } from '../../shared/connection';

/**
 * One 20×20 line icon per kind, drawn in `currentColor` so it follows the theme; vector, so it stays sharp
 * at every scale factor. Decorative: the row's text and accessible name say the kind.
 */
const PATHS: Record<ConnectionKind, string[]> = {
  // A shield with a keyhole: a tunnel that protects.
  vpn: ['M10 2.25 3.75 4.6v4.9c0 3.9 2.6 7 6.25 8.25 3.65-1.25 6.25-4.35 6.25-8.25V4.6L10 2.25Z', 'M8.6 8.4a1.4 1.4 0 1 0 2.8 0a1.4 1.4 0 1 0-2.8 0Z', 'M10 9.8v2.6'],
  // A globe: an always-on link to the internet (PPPoE).
  broadband: ['M10 2.75a7.25 7.25 0 1 0 0 14.5 7.25 7.25 0 0 0 0-14.5Z', 'M2.75 10h14.5', 'M10 2.75c2 2 3 4.4 3 7.25s-1 5.25-3 7.25c-2-2-3-4.4-3-7.25s1-5.25 3-7.25Z'],
  // A telephone handset: a call placed over a modem or ISDN.
  dialup: [
    'M6.3 3.1 4.4 3.6c-.7.2-1.1.9-1 1.6.6 5.3 4.8 9.5 10.1 10.1.7.1 1.4-.3 1.6-1l.5-1.9a1 1 0 0 0-.55-1.15l-2.3-1a1 1 0 0 0-1.15.28l-.9 1.07a7.6 7.6 0 0 1-3.85-3.85l1.07-.9a1 1 0 0 0 .28-1.15l-1-2.3A1 1 0 0 0 6.3 3.1Z',
    'M12 3.5a4.5 4.5 0 0 1 4.5 4.5',
  ],
  // Two linked nodes: a link the backend cannot place.
  other: ['M8.3 11.7 11.7 8.3', 'M9.2 6.1 10.8 4.5a3 3 0 0 1 4.25 4.25l-1.6 1.6', 'M10.8 13.9l-1.6 1.6a3 3 0 0 1-4.25-4.25l1.6-1.6'],
};

export function KindIcon({ kind }: { kind: ConnectionKind }) {
  return (
    <svg className="kind-icon" viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false">
      {PATHS[kind].map((d) => (
        <path key={d} d={d} />
      ))}
    </svg>
  );
}
