/**
 * What one RasDialFunc1 notification (RASCONNSTATE + dwError) means for a dial in progress. Pure: the dialler
 * (ras-phonebook.ts) applies it; the unit tier feeds it any sequence (test/unit/platforms/win32/
 * ras-dial-step.property.test.ts), since these values come from outside (RAS, or a library standing in for it).
 *
 * RasDialFunc1's docs: RAS calls the notifier for each state the dial enters; a nonzero dwError ends the dial
 * (failed, in that state); RASCS_Connected ends it (connected); RASCS_Disconnected ends it too, with or without
 * an error code (a dial RAS gives up or that is hung up elsewhere), and nothing after the end counts.
 */
import { RASCS_Connected, RASCS_Disconnected, rasState } from './ras-states';

export type DialStep =
  /** The step already reported, again: nothing new to show. */
  | { kind: 'same' }
  | { kind: 'progress'; detail: string }
  | { kind: 'connected'; detail: string }
  /** `code`: RAS's dwError, or EDISCONNECTED for RASCS_Disconnected without one. */
  | { kind: 'failed'; detail: string; code: number | string };

/** RASCS_Disconnected with dwError 0: the dial is over, and RAS said no more. */
export const DISCONNECTED_WITHOUT_ERROR = 'EDISCONNECTED';

/** The step a notification is, after the step last reported (`lastDetail`). */
export function dialStep(lastDetail: string, state: number, error: number): DialStep {
  const detail = rasState(state).detail;
  if (error !== 0) return { kind: 'failed', detail, code: error };
  if (state === RASCS_Connected) return { kind: 'connected', detail };
  if (state === RASCS_Disconnected) return { kind: 'failed', detail, code: DISCONNECTED_WITHOUT_ERROR };
  if (detail === lastDetail) return { kind: 'same' };
  return { kind: 'progress', detail };
}
