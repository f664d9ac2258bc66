import type { ConnectionRouting } from '../../shared/connection';
import { routingSummary } from '../../shared/routing-format';

/**
 * A row's routing details (issue 25), as entries of the row's details list: what it carries (all of a family,
 * or its networks) and the resolvers it supplies. Nothing where the backend reads no routes.
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
