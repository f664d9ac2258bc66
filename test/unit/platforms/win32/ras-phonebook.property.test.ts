/**
 * The phone book and the dialler (ras-phonebook.ts) against a library that may answer anything (issue 28):
 * property-based, over functions standing in for rasapi32's (the `bindings` seam), so that every answer a
 * broken or hostile RasEnumEntriesW / RasDialW can give is tried without a native library. What a user would
 * see is asserted: the entries the library really wrote, or a BackendError with a code (EPROTO for an answer
 * outside the contract), never a RangeError, a 4 GiB allocation or a dial that waits forever. The dialler's
 * notification handling (ras-dial-step.ts) is checked over any sequence of RASCONNSTATE / dwError values.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { BackendError } from '../../../../electron/core/backend-error';
import { MAX_ENUM_RETRIES, MAX_RAS_ENUM_ITEMS, maxEnumBytes } from '../../../../electron/core/platforms/win32/ras-enum-bounds';
import { DISCONNECTED_WITHOUT_ERROR, dialStep } from '../../../../electron/core/platforms/win32/ras-dial-step';
import { createRasPhonebook, type DialBindings } from '../../../../electron/core/platforms/win32/ras-phonebook';
import { REN_AllUsers, rasDialParamsLayouts, rasEntryNameLayouts } from '../../../../electron/core/platforms/win32/ras-phonebook-structs';
import { RASCONNSTATE_NAMES, RASCS_Connected, RASCS_Disconnected } from '../../../../electron/core/platforms/win32/ras-states';
import { checkAsync, check } from '../../../support/property';

/** Case counts (README: the unit tier's property tests). */
export const PHONEBOOK_RUNS = 300;
export const DIAL_RUNS = 200;
export const DIAL_STEP_RUNS = 1000;

const ENTRY = rasEntryNameLayouts()[0]!;
const PARAMS = rasDialParamsLayouts()[0]!;
const describeCode = (code: number) => `RAS error ${code}`;

interface Lie {
  probeCb?: number;
  probeCount?: number;
  okCount?: number;
  /** A code the call answers instead (once). */
  failWith?: number;
}

/** A RasEnumEntriesW that holds `names` and lies as told; counts its calls and the bytes it was handed. */
function entriesLibrary(names: string[], lie: Lie) {
  let calls = 0;
  let largest = 0;
  let failed = false;
  let stride = ENTRY.size;
  const enumEntries: DialBindings['RasEnumEntriesW'] = (_reserved, _book, buf, cb, count) => {
    calls++;
    if (buf) largest = Math.max(largest, buf.length);
    if (lie.failWith !== undefined && !failed) {
      failed = true;
      return lie.failWith;
    }
    // The caller's dwSize picks the version written (0x500 with flags and book, 0x400 without), as Windows does.
    if (buf) stride = buf.readUInt32LE(0);
    if (!rasEntryNameLayouts().some((layout) => layout.size === stride)) return 632;
    const need = names.length * stride;
    count[0] = names.length;
    if (names.length > 0 && (!buf || cb[0]! < need)) {
      cb[0] = buf ? need : (lie.probeCb ?? need);
      if (!buf && lie.probeCount !== undefined) count[0] = lie.probeCount;
      return 603;
    }
    names.forEach((name, i) => {
      const base = i * stride;
      buf!.writeUInt32LE(stride, base);
      Buffer.from(`${name}\0`, 'utf16le').copy(buf!, base + ENTRY.offsets.szEntryName!);
      if (stride === ENTRY.size) buf!.writeUInt32LE(i % 2 ? REN_AllUsers : 0, base + ENTRY.offsets.dwFlags!);
    });
    cb[0] = need;
    if (lie.okCount !== undefined) count[0] = lie.okCount;
    return 0;
  };
  return { enumEntries, calls: () => calls, largest: () => largest, stride: () => stride };
}

function phonebook(bindings: Partial<DialBindings>) {
  const hungUp: string[] = [];
  const book = createRasPhonebook({
    libraryPath: 'model',
    describe: describeCode,
    hangUp: async (id) => void hungUp.push(id),
    live: async () => [],
    bindings: {
      RasEnumEntriesW: () => 0,
      RasGetEntryDialParamsW: (_book, _params, saved) => ((saved[0] = 1), 0),
      RasDialW: () => 0,
      RasHangUpW: () => 0,
      ...bindings,
    },
  });
  return { book, hungUp };
}

const u32 = fc.oneof(fc.constantFrom(0, 1, 2, 0xffff_ffff, MAX_RAS_ENUM_ITEMS, MAX_RAS_ENUM_ITEMS + 1, 0x7fff_ffff), fc.nat({ max: 0xffff_ffff }));
const lieArb: fc.Arbitrary<Lie> = fc.record({ probeCb: u32, probeCount: u32, okCount: u32, failWith: fc.constantFrom(87, 610, 632, 1722, 0x8007_0057) }, { requiredKeys: [] });
const nameArb = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !s.includes('\0'));

describe('RAS phone book: RasEnumEntriesW answering anything', () => {
  it(`the entries it really wrote, or a BackendError with a code; never a RangeError or a buffer past the bound (${PHONEBOOK_RUNS} cases)`, async () => {
    await checkAsync(
      fc.asyncProperty(fc.uniqueArray(nameArb, { maxLength: 8 }), lieArb, async (names, lie) => {
        const library = entriesLibrary(names, lie);
        const { book } = phonebook({ RasEnumEntriesW: library.enumEntries });
        try {
          const entries = await book.listEntries();
          // What the library said it wrote (a lower count is believed: those entries are there), the user's
          // book first (the model puts every odd one in the all-users' book).
          const written = names.slice(0, lie.okCount ?? names.length);
          const byBook = library.stride() !== ENTRY.size ? written : [...written.filter((_, i) => i % 2 === 0), ...written.filter((_, i) => i % 2 === 1)];
          assert.deepEqual(
            entries.map((e) => e.name),
            byBook,
          );
        } catch (error) {
          assert.ok(error instanceof BackendError, `not a BackendError: ${String(error)}`);
          assert.ok(typeof error.code === 'number' || error.code === 'EPROTO', `code ${String(error.code)}`);
        }
        assert.ok(library.largest() <= maxEnumBytes(ENTRY.size), `a ${library.largest()}-byte buffer`);
        assert.ok(library.calls() <= 2 + MAX_ENUM_RETRIES + rasEntryNameLayouts().length, `${library.calls()} calls`);
        book.close();
      }),
      PHONEBOOK_RUNS,
    );
  });

  it('the three answers issue 28 found, kept as named cases: EPROTO each', async () => {
    for (const lie of [{ okCount: 2 }, { probeCb: 0xffff_ffff }, { probeCount: 0xffff_ffff }]) {
      const { book } = phonebook({ RasEnumEntriesW: entriesLibrary(['Office VPN'], lie).enumEntries });
      await assert.rejects(book.listEntries(), (error: unknown) => error instanceof BackendError && error.code === 'EPROTO', JSON.stringify(lie));
    }
  });
});

describe('RAS dialler: what RasDialW answers at once', () => {
  it(`any return code and handle: failed with that code (the handle hung up), EPROTO for a success without a handle, or a dial under way that Cancel ends (${DIAL_RUNS} cases)`, async () => {
    await checkAsync(
      fc.asyncProperty(fc.oneof(fc.constant(0), fc.nat({ max: 0xffff_ffff })), fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: (1n << 64n) - 1n })), async (rc, handle) => {
        const { book, hungUp } = phonebook({
          RasEnumEntriesW: entriesLibrary(['Office VPN'], {}).enumEntries,
          RasDialW: (_ext, _book, params, _type, _notifier, out) => {
            assert.equal(params.length, PARAMS.size);
            out.writeBigUInt64LE(handle, 0);
            return rc;
          },
        });
        const steps: string[] = [];
        const id = handle === 0n ? null : `ras:${handle.toString(16)}`;
        const dial = book.connect('Office VPN', (p) => steps.push(p.phase));
        if (rc === 0 && handle === 0n) {
          await assert.rejects(dial, (error: unknown) => error instanceof BackendError && error.code === 'EPROTO');
        } else if (rc !== 0) {
          const last = await dial;
          assert.deepEqual([last.phase, last.error?.code, last.connectionId], ['failed', rc, id]);
          assert.deepEqual(hungUp, id ? [id] : [], 'a handle RasDialW gave is hung up');
        } else {
          while (steps.length === 0) await new Promise((resolve) => setImmediate(resolve));
          await book.cancel(id!);
          const last = await dial;
          assert.deepEqual([last.phase, last.connectionId], ['cancelled', id]);
        }
        book.close();
      }),
      DIAL_RUNS,
    );
  });
});

describe('RAS dialler: any sequence of RasDialFunc1 notifications', () => {
  const known = [...RASCONNSTATE_NAMES.keys()];
  const stateArb = fc.oneof(fc.constantFrom(...known), fc.nat({ max: 0xffff_ffff }));
  const errorArb = fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat({ max: 0xffff_ffff }) });

  it(`ends at the first error, RASCS_Connected or RASCS_Disconnected, reports each new step once, and never throws (${DIAL_STEP_RUNS} cases)`, () => {
    check(
      fc.property(fc.array(fc.tuple(stateArb, errorArb), { maxLength: 40 }), (notifications) => {
        let last = 'RASCS_OpenPort';
        const reported: string[] = [];
        let ended: ReturnType<typeof dialStep> | null = null;
        for (const [state, error] of notifications) {
          if (ended) break; // the dialler ignores what comes after the end
          const step = dialStep(last, state, error);
          if (step.kind === 'same') {
            assert.equal(error, 0);
            continue;
          }
          assert.notEqual(step.detail, '');
          if (step.kind === 'progress') assert.notEqual(step.detail, last, 'a step is reported once');
          last = step.detail;
          reported.push(step.detail);
          if (step.kind === 'failed' || step.kind === 'connected') ended = step;
        }
        const firstEnd = notifications.findIndex(([state, error]) => error !== 0 || state === RASCS_Connected || state === RASCS_Disconnected);
        if (firstEnd === -1) assert.equal(ended, null);
        else {
          const [state, error] = notifications[firstEnd]!;
          if (error !== 0) assert.deepEqual(ended && 'code' in ended ? ended.code : null, error);
          else if (state === RASCS_Connected) assert.equal(ended?.kind, 'connected');
          else assert.deepEqual(ended && 'code' in ended ? ended.code : null, DISCONNECTED_WITHOUT_ERROR);
        }
      }),
      DIAL_STEP_RUNS,
    );
  });
});
