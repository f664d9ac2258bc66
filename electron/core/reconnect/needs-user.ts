/**
 * Dial failures that no number of retries will fix: the user must act (new password, saved credentials, a
 * certificate, an entry that was deleted). Keep connected tries once, says so once, then waits for the user
 * instead of hammering a server with bad credentials (which also locks accounts out on most domains).
 * Codes: raserror.h (RASBASE = 600) and winerror.h as in mingw-w64's headers; NetworkManager's
 * NMActiveConnectionStateReason names as network-manager.ts reports them; ours from saved.ts and the dialers.
 */
import type { ErrorInfo } from '../../../shared/connection';

const NEEDS_USER: ReadonlySet<number | string> = new Set<number | string>([
  621, // ERROR_CANNOT_OPEN_PHONEBOOK
  622, // ERROR_CANNOT_LOAD_PHONEBOOK
  623, // ERROR_CANNOT_FIND_PHONEBOOK_ENTRY: the entry was deleted or renamed
  645, // ERROR_AUTH_INTERNAL
  646, // ERROR_RESTRICTED_LOGON_HOURS
  647, // ERROR_ACCT_DISABLED
  648, // ERROR_PASSWD_EXPIRED
  649, // ERROR_NO_DIALIN_PERMISSION
  691, // ERROR_AUTHENTICATION_FAILURE
  703, // ERROR_INTERACTIVE_MODE: the dial needs the user (a prompt)
  709, // ERROR_CHANGING_PASSWORD
  798, // ERROR_NO_EAPTLS_CERTIFICATE
  812, // ERROR_SERVER_POLICY
  13801, // ERROR_IPSEC_IKE_AUTH_FAIL: IKE authentication credentials are unacceptable
  13806, // ERROR_IPSEC_IKE_NO_CERT
  'ENOCREDENTIALS', // no saved password and no dialog can be shown (saved.ts, the RAS dialer)
  'ENOENT', // no saved connection of that name any more
  'NM_REASON_NO_SECRETS',
  'NM_REASON_LOGIN_FAILED',
  'NM_REASON_CONNECTION_REMOVED',
]);

/** True when retrying cannot help until the user does something. */
export function needsUser(error: ErrorInfo | null): boolean {
  return error !== null && NEEDS_USER.has(error.code);
}
