/**
 * What a fleet's Prometheus reads from linkwatch.prom: one `up` series per connection (1 connected, 0 listed
 * but not, 0 after it went), the state as an enum, figures only where read, no addresses or phone numbers
 * in labels, and text the exposition format accepts (node_exporter's parser is exercised on it for real in
 * test/native/export).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Snapshot } from '../../../../shared/connection';
import { AD_HOC_NAME, MAX_REMEMBERED, MetricsExporter } from '../../../../electron/core/export/prometheus-metrics';
import { connection } from '../../../support/connections';
import { checkAsync } from '../../../support/property';

const snap = (connections: Snapshot['connections'], over: Partial<Snapshot> = {}): Snapshot => ({
  platform: 'linux',
  backend: 'netlink',
  updates: 'push',
  verdict: null,
  connections,
  error: null,
  takenAt: 1,
  ...over,
});

/** The samples of the text: `name{labels}` → value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

const office = connection({ id: 'netlink:5:tun0', name: 'Office VPN', deviceName: 'tun0', deviceType: 'tun', owner: 'OpenVPN', addresses: ['10.8.0.2/24'], bytesIn: 1000, bytesOut: 200, connectedSince: 1_764_064_800_123 });
const OFFICE = 'name="Office VPN",kind="vpn",interface="tun0",backend="netlink"';

describe('Prometheus metrics', () => {
  it('a connected tunnel: up 1, its state, info, since (seconds), byte counters; the backend up and pushing', async () => {
    const text = await new MetricsExporter().render({ snapshot: snap([office]) });
    const s = samples(text);
    assert.equal(s.get(`linkwatch_connection_up{${OFFICE}}`), 1);
    assert.equal(s.get(`linkwatch_connection_state{${OFFICE},state="connected"}`), 1);
    assert.equal(s.get(`linkwatch_connection_state{${OFFICE},state="connecting"}`), 0);
    assert.equal(s.get(`linkwatch_connection_info{${OFFICE},device_type="tun",owner="OpenVPN"}`), 1);
    assert.equal(s.get(`linkwatch_connection_connected_since_seconds{${OFFICE}}`), 1_764_064_800);
    assert.equal(s.get(`linkwatch_connection_receive_bytes_total{${OFFICE}}`), 1000);
    assert.equal(s.get(`linkwatch_connection_transmit_bytes_total{${OFFICE}}`), 200);
    assert.equal(s.get('linkwatch_backend_up{backend="netlink"}'), 1);
    assert.equal(s.get('linkwatch_backend_updates_push{backend="netlink"}'), 1);
    assert.ok(text.endsWith('\n'), 'the textfile collector wants a final newline');
    assert.doesNotMatch(text, /10\.8\.0\.2/, 'no address anywhere');
  });

  it("a tunnel's health (issue 26) as an enum, and the probe's round trip in seconds", async () => {
    const stalled = { ...office, health: { status: 'stalled' as const, since: 1, reason: 'sent 12 kB in 24 s, received nothing', probe: { target: '10.8.0.1', rttMs: 12.5, at: 1, error: null } } };
    const s = samples(await new MetricsExporter().render({ snapshot: snap([stalled]) }));
    assert.equal(s.get(`linkwatch_connection_health{${OFFICE},health="stalled"}`), 1);
    assert.equal(s.get(`linkwatch_connection_health{${OFFICE},health="healthy"}`), 0);
    assert.equal(s.get(`linkwatch_connection_probe_rtt_seconds{${OFFICE}}`), 0.0125);
    const unread = samples(await new MetricsExporter().render({ snapshot: snap([office]) }));
    assert.equal([...unread.keys()].some((key) => key.startsWith('linkwatch_connection_health')), false, 'no health read: no series');
  });

  it('connecting reads up 0; counters not read are absent, not 0', async () => {
    const s = samples(await new MetricsExporter().render({ snapshot: snap([{ ...office, state: 'connecting', bytesIn: null, bytesOut: null, connectedSince: null }]) }));
    assert.equal(s.get(`linkwatch_connection_up{${OFFICE}}`), 0);
    assert.equal(s.get(`linkwatch_connection_state{${OFFICE},state="connecting"}`), 1);
    assert.equal(s.has(`linkwatch_connection_receive_bytes_total{${OFFICE}}`), false);
    assert.equal(s.has(`linkwatch_connection_connected_since_seconds{${OFFICE}}`), false);
  });

  it('a connection that went reads up 0 (an alert on == 0 fires) and carries no stale figures', async () => {
    const exporter = new MetricsExporter();
    await exporter.render({ snapshot: snap([office]) });
    const s = samples(await exporter.render({ snapshot: snap([]) }));
    assert.equal(s.get(`linkwatch_connection_up{${OFFICE}}`), 0);
    assert.equal([...s.keys()].filter((key) => key.includes('Office VPN')).length, 1, 'only the up series is left');
  });

  it('only the newest connections are remembered: the fleet sees a bounded number of series', async () => {
    const exporter = new MetricsExporter();
    for (let i = 0; i < MAX_REMEMBERED + 10; i += 1) {
      await exporter.render({ snapshot: snap([connection({ id: `n:${i}`, name: `vpn ${i}`, deviceName: `tun${i}` })]) });
    }
    const ups = [...samples(await exporter.render({ snapshot: snap([]) })).keys()].filter((key) => key.startsWith('linkwatch_connection_up{'));
    assert.equal(ups.length, MAX_REMEMBERED);
    assert.ok(!ups.some((key) => key.includes('name="vpn 0"')), 'the oldest is forgotten first');
  });

  it('saved entries that are not up read 0; a connected one is not listed twice; drops from the history', async () => {
    const s = samples(
      await new MetricsExporter().render({
        snapshot: snap([office]),
        entries: [
          { name: 'Office VPN', kind: 'vpn' },
          { name: 'Lab', kind: 'vpn' },
        ],
        drops: [{ name: 'Office VPN', kind: 'vpn', drops: 3 }],
      }),
    );
    assert.equal(s.get('linkwatch_connection_up{name="Lab",kind="vpn",interface="",backend="netlink"}'), 0);
    assert.equal([...s.keys()].filter((key) => key.startsWith('linkwatch_connection_up{name="Office VPN"')).length, 1);
    assert.equal(s.get('linkwatch_connection_drops_total{name="Office VPN",kind="vpn"}'), 3);
  });

  it('a dial without an entry is not labelled with the number dialled; a failing backend reads backend_up 0', async () => {
    const adHoc = connection({ id: 'ras:9', name: '.5551234', adHoc: true, phoneNumber: '5551234', deviceName: 'Modem' });
    const text = await new MetricsExporter().render({ snapshot: snap([adHoc], { backend: 'rasapi32', error: { code: 632, message: 'x' }, updates: 'poll' }) });
    assert.doesNotMatch(text, /5551234/);
    assert.ok(text.includes(`name="${AD_HOC_NAME}"`));
    const s = samples(text);
    assert.equal(s.get('linkwatch_backend_up{backend="rasapi32"}'), 0);
    assert.equal(s.get('linkwatch_backend_updates_push{backend="rasapi32"}'), 0);
  });

  it('any connection name or interface (outside input) gives lines of the exposition format (property)', async () => {
    // Text format: metric name, optional {label="value",...} with \\, \" and \n escaped, a space, a number.
    const SAMPLE = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:\\[\\"n]|[^"\\\n])*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:\\[\\"n]|[^"\\\n])*")*\})? -?(?:\d+(?:\.\d+)?(?:e[+-]?\d+)?|NaN|[+-]Inf)$/;
    await checkAsync(
      fc.asyncProperty(fc.string({ maxLength: 30 }), fc.string({ maxLength: 16 }), fc.option(fc.string({ maxLength: 10 })), async (name, ifname, owner) => {
        const text = await new MetricsExporter().render({ snapshot: snap([connection({ id: 'x', name, deviceName: ifname, owner, bytesIn: 5, bytesOut: 6 })]) });
        for (const line of text.split('\n')) {
          if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
          assert.match(line, SAMPLE);
        }
      }),
      300,
    );
  });
});
