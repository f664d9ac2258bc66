import { BackendError } from '../../backend-error';

/**
 * Built-in names and messages for the Win32 and RAS error codes (raserror.h, winerror.h) that RAS calls
 * return. Used when the library has no RasGetErrorStringW, or when it cannot describe a code. The names
 * are the SDK's; the messages are ours, written for a user reading the popup.
 */
const TABLE: ReadonlyMap<number, readonly [name: string, message: string]> = new Map([
  // winerror.h codes RAS functions return
  [5, ['ERROR_ACCESS_DENIED', 'Access is denied.']],
  [6, ['ERROR_INVALID_HANDLE', 'The connection handle is invalid (the connection has gone).']],
  [8, ['ERROR_NOT_ENOUGH_MEMORY', 'Not enough memory to complete the request.']],
  [87, ['ERROR_INVALID_PARAMETER', 'A parameter passed to the RAS function is invalid.']],
  [120, ['ERROR_CALL_NOT_IMPLEMENTED', 'This function is not supported on this system.']],
  [122, ['ERROR_INSUFFICIENT_BUFFER', 'The data area passed to the RAS function is too small.']],
  [1722, ['RPC_S_SERVER_UNAVAILABLE', 'The RPC server is unavailable (is the Remote Access Connection Manager running?).']],
  // raserror.h, RASBASE = 600
  [600, ['PENDING', 'An operation is pending.']],
  [601, ['ERROR_INVALID_PORT_HANDLE', 'The port handle is invalid.']],
  [602, ['ERROR_PORT_ALREADY_OPEN', 'The port is already open.']],
  [603, ['ERROR_BUFFER_TOO_SMALL', 'The caller\'s buffer is too small.']],
  [604, ['ERROR_WRONG_INFO_SPECIFIED', 'Wrong information was specified.']],
  [605, ['ERROR_CANNOT_SET_PORT_INFO', 'The port information cannot be set.']],
  [606, ['ERROR_PORT_NOT_CONNECTED', 'The port is not connected.']],
  [607, ['ERROR_EVENT_INVALID', 'The event is invalid.']],
  [608, ['ERROR_DEVICE_DOES_NOT_EXIST', 'The device does not exist.']],
  [609, ['ERROR_DEVICETYPE_DOES_NOT_EXIST', 'The device type does not exist.']],
  [610, ['ERROR_BUFFER_INVALID', 'The buffer is invalid.']],
  [611, ['ERROR_ROUTE_NOT_AVAILABLE', 'The route is not available.']],
  [612, ['ERROR_ROUTE_NOT_ALLOCATED', 'The route is not allocated.']],
  [613, ['ERROR_INVALID_COMPRESSION_SPECIFIED', 'An invalid compression was specified.']],
  [614, ['ERROR_OUT_OF_BUFFERS', 'There are not enough buffers available.']],
  [615, ['ERROR_PORT_NOT_FOUND', 'The port was not found.']],
  [616, ['ERROR_ASYNC_REQUEST_PENDING', 'An asynchronous request is pending.']],
  [617, ['ERROR_ALREADY_DISCONNECTING', 'The modem (or other connecting device) is already disconnecting.']],
  [618, ['ERROR_PORT_NOT_OPEN', 'The port is not open.']],
  [619, ['ERROR_PORT_DISCONNECTED', 'The port is disconnected: the remote computer did not respond.']],
  [620, ['ERROR_NO_ENDPOINTS', 'No endpoints could be determined.']],
  [621, ['ERROR_CANNOT_OPEN_PHONEBOOK', 'The phone-book file cannot be opened.']],
  [622, ['ERROR_CANNOT_LOAD_PHONEBOOK', 'The phone-book file cannot be loaded.']],
  [623, ['ERROR_CANNOT_FIND_PHONEBOOK_ENTRY', 'The phone-book entry cannot be found.']],
  [624, ['ERROR_CANNOT_WRITE_PHONEBOOK', 'The phone-book file cannot be written.']],
  [625, ['ERROR_CORRUPT_PHONEBOOK', 'The phone-book file contains invalid information.']],
  [626, ['ERROR_CANNOT_LOAD_STRING', 'A string cannot be loaded.']],
  [627, ['ERROR_KEY_NOT_FOUND', 'A key cannot be found.']],
  [628, ['ERROR_DISCONNECTION', 'The connection was terminated by the remote computer before it could be completed.']],
  [629, ['ERROR_REMOTE_DISCONNECTION', 'The connection was closed by the remote computer.']],
  [630, ['ERROR_HARDWARE_FAILURE', 'The modem (or other connecting device) was disconnected by a hardware failure.']],
  [631, ['ERROR_USER_DISCONNECTION', 'The user disconnected the modem (or other connecting device).']],
  [632, ['ERROR_INVALID_SIZE', 'The structure size is incorrect (dwSize not accepted by this Windows).']],
  [633, ['ERROR_PORT_NOT_AVAILABLE', 'The modem (or other connecting device) is already in use or is not configured properly.']],
  [634, ['ERROR_CANNOT_PROJECT_CLIENT', 'The computer could not be registered on the remote network.']],
  [635, ['ERROR_UNKNOWN', 'An unknown RAS error occurred.']],
  [636, ['ERROR_WRONG_DEVICE_ATTACHED', 'The device attached to the port is not the one expected.']],
  [637, ['ERROR_BAD_STRING', 'A string was detected that could not be converted.']],
  [638, ['ERROR_REQUEST_TIMEOUT', 'The remote server is not responding in a timely fashion.']],
  [639, ['ERROR_CANNOT_GET_LANA', 'No asynchronous net is available.']],
  [640, ['ERROR_NETBIOS_ERROR', 'An error occurred involving NetBIOS.']],
  // Common RAS failures users meet
  [668, ['ERROR_NO_CONNECTION', 'The connection was terminated.']],
  [676, ['ERROR_LINE_BUSY', 'The phone line is busy.']],
  [678, ['ERROR_NO_ANSWER', 'The remote computer did not respond.']],
  [679, ['ERROR_NO_CARRIER', 'No carrier was detected.']],
  [680, ['ERROR_NO_DIALTONE', 'There is no dial tone.']],
  [691, ['ERROR_AUTHENTICATION_FAILURE', 'The user name or password is not valid on this domain.']],
  [718, ['ERROR_PPP_TIMEOUT', 'The connection timed out waiting for a valid response from the remote computer.']],
  [720, ['ERROR_PPP_NO_PROTOCOLS_CONFIGURED', 'No PPP control protocols could be agreed with the remote computer.']],
  [721, ['ERROR_PPP_NO_RESPONSE', 'The remote PPP peer is not responding.']],
  [733, ['ERROR_PPP_CP_REJECTED', 'A PPP control protocol was rejected by the remote computer.']],
  [738, ['ERROR_PPP_NO_ADDRESS_ASSIGNED', 'The server did not assign an address.']],
  [756, ['ERROR_DIAL_ALREADY_IN_PROGRESS', 'This connection is already being dialled.']],
  [769, ['ERROR_BAD_ADDRESS_SPECIFIED', 'The remote destination is not reachable.']],
  [770, ['ERROR_CONNECTION_REJECT', 'The remote computer rejected the connection attempt.']],
  [777, ['ERROR_OUTOFORDER', 'The modem (or other connecting device) on the remote computer is out of order.']],
  [778, ['ERROR_UNABLE_TO_AUTHENTICATE_SERVER', 'The identity of the server could not be verified.']],
  [789, ['ERROR_OAKLEY_GENERAL_PROCESSING', 'The L2TP connection failed: a security layer error during the initial negotiation.']],
  [800, ['ERROR_AUTOMATIC_VPN_FAILED', 'The VPN connection could not be established: the VPN server may be unreachable.']],
  [806, ['ERROR_VPN_GRE_BLOCKED', 'GRE packets are blocked between this computer and the VPN server.']],
  [807, ['ERROR_VPN_DISCONNECT', 'The VPN connection was interrupted.']],
  [809, ['ERROR_VPN_TIMEOUT', 'The VPN server did not respond (a firewall or NAT device may block the traffic).']],
  [812, ['ERROR_SERVER_POLICY', 'The connection was prevented by a policy on the RAS/VPN server.']],
  [828, ['ERROR_IDLE_TIMEOUT', 'The connection was closed because it was idle.']],
  [829, ['ERROR_LINK_FAILURE', 'The link to the remote network failed.']],
  [834, ['ERROR_RASMAN_SERVICE_STOPPED', 'The Remote Access Connection Manager service stopped.']],
  [868, ['ERROR_DNSNAME_NOT_RESOLVABLE', 'The name of the remote access server did not resolve.']],
]);

/** The SDK name of a code ("ERROR_INVALID_SIZE"), or null when the table does not know it. */
export function rasErrorName(code: number): string | null {
  return TABLE.get(code)?.[0] ?? null;
}

/** A readable message from the built-in table: "The structure size is incorrect … (ERROR_INVALID_SIZE, 632)". */
export function builtInRasErrorMessage(code: number): string {
  const entry = TABLE.get(code);
  if (!entry) return `RAS error ${code}`;
  return `${entry[1]} (${entry[0]}, ${code})`;
}

/** The codes the built-in table covers (for tests and the curious). */
export function builtInRasErrorCodes(): number[] {
  return [...TABLE.keys()];
}

/** `context` failed with `code`: the BackendError carrying it, message from `describe` (the library's text). */
export function rasError(code: number, context: string, describe: (code: number) => string = builtInRasErrorMessage): BackendError {
  return new BackendError(code, `${context} failed: ${describe(code)}`);
}
