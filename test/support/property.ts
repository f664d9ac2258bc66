/**
 * Property-based tests (fast-check) in the unit tier: seeded and bounded, so that a run is reproducible and
 * its cost known. Every property runs with the same fixed seed unless LINKWATCH_PROPERTY_SEED sets another
 * (to explore: `LINKWATCH_PROPERTY_SEED=$RANDOM npm run test:unit`). On failure fast-check's report names the
 * seed, the path to the shrunk counterexample and the counterexample itself; the test adds how to replay it.
 * A counterexample found this way is then kept as a named regression test next to the property.
 */
import fc from 'fast-check';

export const PROPERTY_SEED = Number(process.env.LINKWATCH_PROPERTY_SEED ?? 20261202);

function withReplayHint(error: unknown): never {
  if (error instanceof Error) error.message = `${error.message}\n(replay: LINKWATCH_PROPERTY_SEED=${PROPERTY_SEED})`;
  throw error;
}

/** Checks a synchronous property `numRuns` times from the fixed seed. */
export function check<T>(property: fc.IProperty<T>, numRuns: number): void {
  try {
    fc.assert(property, { seed: PROPERTY_SEED, numRuns });
  } catch (error) {
    withReplayHint(error);
  }
}

/** Checks an asynchronous property `numRuns` times from the fixed seed. */
export async function checkAsync<T>(property: fc.IAsyncProperty<T>, numRuns: number): Promise<void> {
  try {
    await fc.assert(property, { seed: PROPERTY_SEED, numRuns });
  } catch (error) {
    withReplayHint(error);
  }
}

/**
 * Thrown values that broke code which assumed an Error (issue 12), by name: the property picks a name and
 * builds the value itself, so that fast-check never has to print a Proxy whose traps throw.
 */
export const HOSTILE_VALUES: Readonly<Record<string, () => unknown>> = Object.freeze({
  'null-prototype object': () => Object.create(null),
  'object whose toString throws': () => ({ toString: trap }),
  'Error whose message getter throws': () => Object.defineProperty(new Error('x'), 'message', { get: trap }),
  'Error whose code getter throws': () => Object.defineProperty(new Error('x'), 'code', { get: trap }),
  'Proxy whose traps throw': () => new Proxy({}, { get: trap, getPrototypeOf: trap, has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap }),
  'revoked Proxy': () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  },
  symbol: () => Symbol('hostile'),
});

function trap(): never {
  throw new Error('trap');
}

/** Something to throw: a hostile value (built from its name), or any value fast-check makes (shown as `value`). */
export interface Thrown {
  name: string;
  value?: unknown;
  make: () => unknown;
}

export const anyThrown: fc.Arbitrary<Thrown> = fc.oneof(
  fc.constantFrom(...Object.keys(HOSTILE_VALUES)).map((name): Thrown => ({ name, make: HOSTILE_VALUES[name]! })),
  fc.anything().map((value): Thrown => ({ name: 'value', value, make: () => value })),
);

/** Names a program or a device may carry that collide with Object.prototype's members. */
export const PROTOTYPE_NAMES = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', '__defineGetter__', 'isPrototypeOf'] as const;

/** Outside text: any string, often one of the prototype names. */
export const outsideText = (maxLength = 32): fc.Arbitrary<string> => fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), fc.string({ maxLength }));
