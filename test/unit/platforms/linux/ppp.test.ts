import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyPppLinks, countPppoeSessions, parsePppol2tpInterfaces } from '../../../../electron/core/platforms/linux/ppp';

// Formats of drivers/net/ppp/pppoe.c (pppoe_seq_show) and net/l2tp/l2tp_ppp.c (pppol2tp_seq_session_show).
const PPPOE = 'Id       Address              Device\n00001A2B 00:11:22:33:44:55     eth0\n';
const L2TP = `PPPoL2TP driver info, 2.0.0
TUNNEL name, lock/unlock, l2tp-version, mode
 TUNNEL 'lac' A 2 UDP
 00000001 12/34
 SESSION 'l2tp' 192.0.2.1/1701 00001/00002 -> 00003/00004 3
   0/0/N/0 OFF
   interface ppp1
`;

describe('ppp carriers from /proc/net/pppoe and /proc/net/pppol2tp', () => {
  it('counts PPPoE sessions below the header', () => {
    assert.equal(countPppoeSessions(PPPOE), 1);
    assert.equal(countPppoeSessions('Id       Address              Device\n'), 0);
    assert.equal(countPppoeSessions(null), 0);
  });
  it('finds L2TP interface names', () => {
    assert.deepEqual([...parsePppol2tpInterfaces(L2TP)], ['ppp1']);
  });
  it('an interface line without a name takes none from the next line (issue 12, as fdinfo)', () => {
    assert.deepEqual([...parsePppol2tpInterfaces(' SESSION x\n   interface\n   ppp7\n')], []);
    assert.deepEqual([...parsePppol2tpInterfaces('   interface ppp1\r\n')], ['ppp1']);
  });
  it('L2TP by name; the rest PPPoE when there are sessions for all of them', () => {
    assert.deepEqual(Object.fromEntries(classifyPppLinks(['ppp0', 'ppp1'], PPPOE, L2TP)), { ppp0: 'pppoe', ppp1: 'l2tp' });
  });
  it('no PPPoE session → a serial (modem) link', () => {
    assert.deepEqual(Object.fromEntries(classifyPppLinks(['ppp0'], null, null)), { ppp0: 'serial' });
  });
  it('fewer sessions than links → unknown which one is PPPoE', () => {
    assert.deepEqual(Object.fromEntries(classifyPppLinks(['ppp0', 'ppp2'], PPPOE, null)), { ppp0: 'unknown', ppp2: 'unknown' });
  });
});
