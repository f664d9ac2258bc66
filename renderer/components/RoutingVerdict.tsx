import type { Connection, RoutingVerdict as Verdict, RoutingWarning } from '../../shared/connection';
import { ROUTING_WARNINGS } from '../../shared/connection';
import type { LinkwatchBridge } from '../../shared/ipc';
import { WARNING_TEXT, dnsSentence, trafficSentence } from '../../shared/routing-format';
import { useRoutingWarnings } from '../use-routing-warnings';

const SWITCH_LABEL: Record<RoutingWarning, string> = {
  'ipv6-bypass': 'Warn when IPv6 bypasses the VPN',
  'dns-outside-tunnel': 'Warn when names are looked up outside a full VPN',
};

/**
 * "Is all my traffic going through the VPN?" (issue 25): the core's verdict in one line under the header,
 * where names are looked up, and the warnings the user has not switched off (Tunnelblick's false positives
 * taught that they must be switchable). The switches sit in a disclosure of their own.
 */
export function RoutingVerdict({ connections, verdict, bridge }: { connections: Connection[]; verdict: Verdict | null; bridge: LinkwatchBridge | null }) {
  const traffic = trafficSentence(connections, verdict);
  // Where the backend reads no routes there is nothing to say, and no setting to ask for.
  if (!verdict || traffic === null) return null;
  return <VerdictLines connections={connections} verdict={verdict} traffic={traffic} bridge={bridge} />;
}

function VerdictLines({ connections, verdict, traffic, bridge }: { connections: Connection[]; verdict: Verdict; traffic: string; bridge: LinkwatchBridge | null }) {
  const { switches, setWarning } = useRoutingWarnings(bridge);
  const dns = dnsSentence(connections, verdict);
  const shown = switches ? verdict.warnings.filter((warning) => switches[warning]) : [];
  return (
    <section className="verdict" aria-label="Where traffic goes">
      <p className="verdict-line">{traffic}</p>
      {dns && <p className="verdict-dns">{dns}</p>}
      {shown.map((warning) => (
        <p key={warning} className="verdict-warning" data-warning={warning}>
          <span aria-hidden="true">⚠ </span>
          {WARNING_TEXT[warning]}
          <button type="button" className="button-link" onClick={() => setWarning(warning, false)}>
            Don’t warn about this
          </button>
        </p>
      ))}
      {switches && (
        <details className="verdict-settings">
          <summary>Warnings</summary>
          <ul className="verdict-switches">
            {ROUTING_WARNINGS.map((warning) => (
              <li key={warning}>
                <label>
                  <input type="checkbox" checked={switches[warning]} onChange={(event) => setWarning(warning, event.target.checked)} /> {SWITCH_LABEL[warning]}
                </label>
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
