import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../../../shared/i18n/all';
import { AD_HOC_LABEL, connectionCount, deviceLine, displayName, formatError, rowSummary, spokenDuration, stateLabel } from '../../../renderer/format';
import { connection } from './connection-fixture';

test('an ad hoc call is shown by the number dialled, even when RAS only gave its "." name', () => {
  assert.equal(displayName(connection({ id: 'a', name: '.5551234', adHoc: true, phoneNumber: '5551234' })), '5551234');
  assert.equal(displayName(connection({ id: 'a', name: '.5551234', adHoc: true, phoneNumber: null })), '5551234');
  assert.equal(displayName(connection({ id: 'a', name: 'Office' })), 'Office');
});

test('the device line joins name and type, leaving out an empty part', () => {
  assert.equal(deviceLine({ deviceName: 'WAN Miniport (IKEv2)', deviceType: 'vpn' }), 'WAN Miniport (IKEv2) · vpn');
  assert.equal(deviceLine({ deviceName: 'tun0', deviceType: '' }), 'tun0');
});

test('a spoken duration changes by the minute, not by the second', () => {
  assert.equal(spokenDuration(0), 'less than a minute');
  assert.equal(spokenDuration(59_999), 'less than a minute');
  assert.equal(spokenDuration(60_000), '1 minute');
  assert.equal(spokenDuration(3_720_000), '1 hour 2 minutes');
  assert.equal(spokenDuration(2 * 86_400_000 + 3_600_000 + 120_000), '2 days 1 hour');
  assert.equal(spokenDuration(-5_000), 'less than a minute', 'clock skew never reads as negative');
});

test('state words and counts read as text, not only as colour', () => {
  assert.equal(stateLabel('connecting'), 'Connecting');
  assert.equal(stateLabel('disconnected'), 'Disconnected');
  assert.equal(connectionCount(1), '1 connection');
  assert.equal(connectionCount(0), '0 connections');
  assert.equal(formatError({ code: 691, message: 'Access denied' }), 'Access denied (code 691)');
});

test('a row summary says kind, name, state, duration, device, address and throughput where known', () => {
  const now = 1_000 + 125_000;
  const summary = rowSummary(connection({ id: 'a', name: 'Office', addresses: ['10.8.0.2/24'], rateIn: 1536, rateOut: 0 }), now);
  assert.equal(summary, 'VPN Office, connected for 2 minutes, WAN Miniport (IKEv2) · vpn, address 10.8.0.2/24, receiving 1.5 kB/s, sending 0 kB/s');
  const adHoc = rowSummary(connection({ id: 'b', kind: 'dialup', name: '.5551234', adHoc: true, phoneNumber: '5551234', state: 'connecting', connectedSince: null, deviceType: 'modem', deviceName: 'Modem' }), now);
  assert.equal(adHoc, `Dial-up 5551234, ${AD_HOC_LABEL}, connecting, Modem · modem`);
  const failed = rowSummary(connection({ id: 'c', state: 'disconnected', connectedSince: null, lastError: { code: 691, message: 'Access denied' } }), now);
  assert.match(failed, /disconnected, .*last error: Access denied \(code 691\)$/);
});
