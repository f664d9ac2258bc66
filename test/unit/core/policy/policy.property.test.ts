/**
 * Policy input is outside input (an administrator's file, an MDM profile, registry values anyone with admin
 * rights wrote): over arbitrary values and bytes, parsing never throws, applies only values the settings'
 * own schema accepts, and accounts for every key it does not apply in a problem.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { settingsSchema } from '../../../../shared/ipc';
import { parsePolicy } from '../../../../electron/core/policy/policy-parse';
import { decodePolicyFile } from '../../../../electron/core/policy/policy-files';
import { decodeRegistryValue } from '../../../../electron/core/policy/registry-values';
import { check } from '../../../support/property';

const KEYS = ['notifications', 'startAtLogin', 'historyDays', 'exportDirectory', 'hideConnectControls', 'recommended'];
const name = fc.oneof(fc.constantFrom(...KEYS), fc.constantFrom(...KEYS).map((key) => key.toUpperCase()), fc.string({ maxLength: 12 }));
const value = fc.oneof(fc.boolean(), fc.integer(), fc.constantFrom(0, 1, 30, 3651), fc.string({ maxLength: 20 }), fc.constantFrom('/srv/export', 'C:\\export', ''), fc.anything());
const record = fc.dictionary(name, fc.oneof(value, fc.dictionary(name, value, { maxKeys: 5 })), { maxKeys: 8 });

describe('policy parsing (property)', () => {
  it('never throws; every applied value passes the setting schema; every key is applied or reported', () => {
    check(
      fc.property(fc.oneof(record, fc.anything()), (input) => {
        const policy = parsePolicy(input, 'src');
        for (const settings of [policy.locked, policy.recommended]) {
          assert.equal(settingsSchema.partial().strict().safeParse(settings).success, true, JSON.stringify(settings));
        }
        assert.equal(typeof policy.hideConnectControls, 'boolean');
        if (typeof input === 'object' && input !== null && !Array.isArray(input) && !(input instanceof Date) && !(input instanceof Uint8Array)) {
          // Every top-level key is a lock, `recommended`, `hideConnectControls`, or named in a problem.
          for (const key of Object.keys(input)) {
            const lower = key.toLowerCase();
            const applied = lower === 'recommended' || lower === 'hideconnectcontrols' || Object.keys(policy.locked).some((k) => k.toLowerCase() === lower);
            assert.ok(applied || policy.problems.some((problem) => problem.includes(`"${key}"`)), `key ${JSON.stringify(key)} neither applied nor reported`);
          }
        } else {
          assert.equal(policy.problems.length, 1);
        }
      }),
      3000,
    );
  });

  it('policy files of arbitrary bytes: a value or an error with a message, never anything else', () => {
    check(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.constantFrom('json' as const, 'plist' as const), (bytes, format) => {
        try {
          decodePolicyFile(Buffer.from(bytes), format);
        } catch (error) {
          assert.ok(error instanceof Error && error.message.length > 0);
        }
      }),
      2000,
    );
  });

  it('binary property lists with a valid magic and arbitrary tails: a value or an error, never a hang or a crash', () => {
    check(
      fc.property(fc.uint8Array({ maxLength: 120 }), (tail) => {
        try {
          decodePolicyFile(Buffer.concat([Buffer.from('bplist00'), Buffer.from(tail)]), 'plist');
        } catch (error) {
          assert.ok(error instanceof Error);
        }
      }),
      2000,
    );
  });

  it('registry values of any type and length decode to data, never read past their bytes', () => {
    check(
      fc.property(fc.integer({ min: 0, max: 12 }), fc.uint8Array({ maxLength: 40 }), (type, bytes) => {
        const copy = Uint8Array.from(bytes);
        const decoded = decodeRegistryValue(type, bytes);
        assert.deepEqual(bytes, copy, 'the input is not changed');
        assert.ok(['string', 'number', 'bigint', 'object'].includes(typeof decoded));
        // And whatever came out, the policy parser judges it without throwing.
        parsePolicy({ historyDays: decoded, notifications: decoded, exportDirectory: decoded }, 'HKLM');
      }),
      3000,
    );
  });
});
