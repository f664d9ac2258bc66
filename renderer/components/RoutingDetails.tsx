import type { ConnectionRouting } from '../../shared/connection';
import { routingSummary } from '../../shared/routing-format';
import type { Row } from '../rows';

/**
 * A row's routing details (issue 25), as entries of a details list: what it carries (all of a family, or its
 * networks) and the resolvers it supplies. Nothing where the backend reads no routes.
 */
export function RoutingDetails({ routing }: { routing: ConnectionRouting | null }) {
  if (!routing) return null;
  return (
    <>
      <div className="detail">
        <dt>Routes</dt>
        <dd>{routingSummary(routing)}</dd>
      </div>
      {routing.dns.length > 0 && (
        <div className="detail">
          <dt>DNS</dt>
          <dd>{routing.dns.join(', ')}</dd>
        </div>
      )}
    </>
  );
}

/** The routing block of a row's details (RowDetails.tsx DETAIL_BLOCKS). */
export function RoutingBlock({ row }: { row: Row }) {
  const routing = row.connection?.routing ?? null;
  if (!routing) return null;
  return (
    <dl className="details-list">
      <RoutingDetails routing={routing} />
    </dl>
  );
}
