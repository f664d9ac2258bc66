/**
 * The administrator's policy as the app and the popup see it: which settings are preset or locked, and
 * whether Connect/Disconnect are offered at all. One shape for the three places an administrator writes it
 * (Windows `HKLM\SOFTWARE\Policies\Linkwatch`, macOS managed preferences, Linux `/etc/linkwatch/policy.json`;
 * README "For administrators"). Plain data only: it crosses the core protocol and IPC.
 */
import type { Settings } from './ipc';

/** The settings a policy can preset or lock: every setting. */
/** The settings a policy can preset or lock; the per-connection lists of issue 26 (Keep connected, muted stalls,
 * probes: by connection name) are the user's own and not among them. */
/**
 * The settings a policy can preset or lock: every setting but the per-connection choices that only make
 * sense to the user at the keyboard (which stalls to mute, which tunnels to probe). Keep connected is one an
 * administrator sets: the entries that must stay up.
 */
export type PolicySettingKey = Exclude<keyof Settings, 'healthMuted' | 'probe'>;

export interface Policy {
  /** Values the user cannot change (Chrome's "mandatory" policies): the menu and popup show them locked. */
  locked: Partial<Settings>;
  /** Values used until the user changes them (Chrome's "recommended" policies). */
  recommended: Partial<Settings>;
  /**
   * Connect, Cancel and Disconnect are not offered (WireGuard for Windows' "limited operator"): the tray, the
   * popup and the CLI show the connections and refuse to change them.
   */
  hideConnectControls: boolean;
  /** Where it was read (a file path or a registry key); null when the machine has no policy. */
  source: string | null;
  /**
   * What in it was ignored and why (an unknown key, a wrong type, an unreadable file): reported once in the
   * log and by `linkwatch diagnose`, never a reason not to start.
   */
  problems: string[];
}

export const NO_POLICY: Policy = { locked: {}, recommended: {}, hideConnectControls: false, source: null, problems: [] };

/** What the popup needs to show a setting as "set by your organisation" and to hide the buttons. */
export interface PolicyState {
  locked: PolicySettingKey[];
  hideConnectControls: boolean;
}

export function policyState(policy: Policy): PolicyState {
  return { locked: Object.keys(policy.locked) as PolicySettingKey[], hideConnectControls: policy.hideConnectControls };
}
