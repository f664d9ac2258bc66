/**
 * How often the Windows backends read while push works and nobody looks (the monitor's safety read). Pure
 * data: the app's core client (which loads nothing native) gives it to the monitor before the core answers.
 *
 * Why 60 s and not less. Every change the list shows is pushed twice over: RasConnectionNotification signals
 * a RAS connection reaching RASCS_Connected or ending, and NotifyIpInterfaceChange /
 * NotifyUnicastIpAddressChange signal the adapter each RAS connection (and every other VPN) comes and goes
 * with. What push can miss: where a RAS registration fires only once (Windows 11, DotRas issue 105) the next
 * change comes without a RAS signal, but with its adapter's, whose read re-arms RAS (ras-notify.ts); a RAS
 * connection's steps while dialling raise no event at all, and are read every 250 ms while one is connecting
 * (pollWhileConnecting, the monitor's connectingPollMs), not by this read. What is left for the safety read
 * is both channels missing the same change, which nothing documents or has been reported: once a minute
 * bounds how long such a row could be wrong, at one RasEnumConnectionsW + GetAdaptersAddresses a minute
 * (measured with the fakes: README, "read cadence").
 */
export const WINDOWS_SAFETY_READ_MS = 60_000;

/** The backends that read on this cadence (platforms/pick.ts's names). */
export const WINDOWS_BACKENDS: ReadonlySet<string> = new Set(['rasapi32', 'rasapi32+iphlpapi', 'iphlpapi']);
