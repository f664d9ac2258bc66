/**
 * What `linkwatch diagnose --json` prints and the popup's Diagnostics panel shows: "why is my VPN not
 * listed?". Every interface the OS reports with the backend's verdict and its reason, which backend serves
 * this machine and whether it is on push or polling, and the last error of each of its parts. Plain data.
 */
import type { Policy } from './policy';
import type { ErrorInfo, UpdateMode } from './connection';

export interface InterfaceDiagnosis {
  /** The OS's name for the interface: FriendlyName on Windows, the ifname on Linux and macOS. */
  name: string;
  /** The driver's description on Windows ("Wintun Userspace Tunnel"); the link kind elsewhere, or "". */
  description: string;
  /** What the OS says it is: "IfType 53 (virtual)", "tun", "ether"… */
  type: string;
  /** The OS's own state word: "IfOperStatusUp", "UP,LOWER_UP state UNKNOWN"… */
  state: string;
  /** Its addresses in CIDR form (link-local included: this view hides nothing). */
  addresses: string[];
  /** Whether it is in the list (`linkwatch list`, the popup). */
  listed: boolean;
  /** Why: "IfType 53 (virtual), description matches Wintun"; "physical Ethernet". */
  reason: string;
  /** The id of the connection it became, when listed. */
  connectionId: string | null;
}

/** One part of the backend (rasapi32, iphlpapi, netlink, NetworkManager…). */
export interface PartDiagnosis {
  name: string;
  /** What it reads: a library path, a socket, a D-Bus service. */
  detail: string;
  /** Its last error, null when its last use succeeded (or it was not used yet). */
  lastError: ErrorInfo | null;
}

/** What a backend can say about itself (ConnectionSource.diagnose). */
export interface SourceDiagnosis {
  parts: PartDiagnosis[];
  interfaces: InterfaceDiagnosis[];
  /** Anything the user should know that fits nowhere else ("macOS: verdicts not implemented yet"). */
  notes: string[];
}

export interface Diagnostics extends SourceDiagnosis {
  platform: string;
  /** The backend's name, as in `list --json`. */
  backend: string;
  /** As Snapshot.updates: `push`, the OS notifies changes (with a slow safety read); `poll`, read on a timer. */
  updates: UpdateMode;
  /** The monitor's error after its last read (null when it succeeded). */
  error: ErrorInfo | null;
  /** How many connections the list has now. */
  connections: number;
  takenAt: number | null;
  /** The administrator's policy in force (README "For administrators"); null where it was not asked. */
  policy: Policy | null;
}
