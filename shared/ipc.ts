/**
 * The IPC contract: every channel between the main process and the popup, defined once. The preload's
 * bridge and the main process's handlers are derived from these maps, so adding a channel is one edit here,
 * checked by the compiler on both sides, and every argument is validated at run time by its schema.
 */
import { z } from 'zod';
import type { ErrorInfo, MonitorUpdate, Snapshot } from './connection';
import type { SavedState } from './saved';
import type { Diagnostics } from './diagnostics';
import type { HistoryDay, HistorySession } from './history';
import type { KeepStatus } from './reconnect';
import type { PolicyState } from './policy';

/**
 * An absolute path, as the export folder must be (POSIX `/…`, Windows `C:\…` or a UNC `\\server\share…`):
 * a relative one would depend on the working directory the app happened to start in.
 */
const absolutePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((path) => path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\'), 'must be an absolute path');

export const settingsSchema = z.object({
  /** Show a notification when a connection comes up or drops. */
  notifications: z.boolean(),
  /** Start Linkwatch when the user logs in. */
  startAtLogin: z.boolean(),
  /** Keep the history of sessions this many days (ended sessions older than that are forgotten). */
  historyDays: z.number().int().min(1).max(3650),
  // The three lists below are optional (absent = empty): a settings file from before issue 26 stays valid.
  /** Saved entries (by name) Linkwatch keeps connected: redialled after a drop (off for every entry by default). */
  keepConnected: z.array(z.string().min(1).max(256)).max(200).optional(),
  /** Connections (by name) whose stall is never notified. */
  healthMuted: z.array(z.string().min(1).max(256)).max(200).optional(),
  /** Connections (by name) probed inside the tunnel (an ICMP echo to its gateway every 10 s while connected). */
  probe: z.array(z.string().min(1).max(256)).max(200).optional(),
  /**
   * The folder Prometheus's textfile collector reads (node_exporter `--collector.textfile.directory`,
   * windows_exporter `textfile_inputs`): Linkwatch keeps `linkwatch.prom` and `linkwatch.json` current there.
   * Null: off (the default).
   */
  exportDirectory: absolutePath.nullable(),
  /** Routing verdict (issue 25): warn when IPv4 goes through a VPN and IPv6 does not. Absent: on. */
  warnIpv6Bypass: z.boolean().optional(),
  /** Routing verdict (issue 25): warn when names are looked up outside a VPN that carries all traffic. Absent: on. */
  warnDnsOutsideTunnel: z.boolean().optional(),
});
export type Settings = z.infer<typeof settingsSchema>;
export const DEFAULT_SETTINGS: Settings = { notifications: true, startAtLogin: false, historyDays: 90, exportDirectory: null };

/**
 * What the popup may change. Not the export folder: files are written wherever it points, so only the tray's
 * folder chooser (in the main process) and the administrator's policy set it, never a message from a page.
 */
export const rendererSettingsSchema = settingsSchema.omit({ exportDirectory: true }).partial().strict();

/** Request channels (renderer → main, answered): name → schema of the argument tuple. */
export const requestArgs = {
  /** Start live updates; answers the current snapshot, then `connections:update` pushes follow. */
  'connections:subscribe': z.tuple([]),
  /** Read the list again now (the popup's Retry under a stale list); answers the snapshot after that read. */
  'connections:refresh': z.tuple([]),
  /** Hang up one connection (the popup asks the user to confirm first). */
  'connections:hang-up': z.tuple([z.string().min(1).max(512)]),
  /** The saved connections (phone book, NetworkManager); answers them, then `connections:saved` pushes follow. */
  'connections:saved': z.tuple([]),
  /** Dial a saved connection by the name main listed (never a path); progress arrives as `connections:saved`. */
  'connections:connect': z.tuple([z.string().min(1).max(256)]),
  /** Cancel a dial main started, by the connection id its progress carries. */
  'connections:cancel': z.tuple([z.string().min(1).max(512)]),
  'settings:get': z.tuple([]),
  'settings:set': z.tuple([rendererSettingsSchema]),
  /** Which settings the administrator's policy locks, and whether Connect/Disconnect are hidden. */
  'settings:policy': z.tuple([]),
  /** Close the popup (Escape). */
  'popup:hide': z.tuple([]),
  /** Every interface with its verdict, the backend and its parts (the Diagnostics panel; `linkwatch diagnose`). */
  'diagnostics:get': z.tuple([]),
  /** The History view's sessions: those up at some time since `since` (epoch ms), at most the newest `limit`. */
  'history:sessions': z.tuple([z.object({ since: z.number().int().min(0).optional(), limit: z.number().int().min(1).max(1000).optional() }).strict()]),
  /** Per-day totals of the last that many local days, today included, newest first. */
  'history:days': z.tuple([z.number().int().min(1).max(366)]),
  /** Turn Keep connected on or off for a saved entry (by the name main listed); answers every kept entry's status. */
  'connections:keep': z.tuple([z.string().min(1).max(256), z.boolean()]),
  /** Mute (true) or unmute a connection's stall notification, by its name. */
  'connections:mute-health': z.tuple([z.string().min(1).max(256), z.boolean()]),
  /** Probe a connection inside its tunnel (true) or stop, by its name: the settings' `probe` list. */
  'connections:probe': z.tuple([z.string().min(1).max(256), z.boolean()]),
} as const;

/** What each request channel answers on success. */
export interface RequestResults {
  'connections:subscribe': Snapshot;
  'connections:refresh': Snapshot;
  'connections:hang-up': null;
  'connections:saved': SavedState;
  'connections:connect': null;
  'connections:cancel': null;
  'settings:get': Settings;
  'settings:set': Settings;
  'settings:policy': PolicyState;
  'popup:hide': null;
  'diagnostics:get': Diagnostics;
  'history:sessions': HistorySession[];
  'history:days': HistoryDay[];
  'connections:keep': KeepStatus[];
  'connections:mute-health': Settings;
  'connections:probe': Settings;
}

/** Push channels (main → renderer): name → payload. */
export interface PushPayloads {
  /** Events of one read and the snapshot after them. */
  'connections:update': MonitorUpdate;
  /** The popup was shown (`true`) or hidden (`false`): the renderer resets focus, the core reads counters. */
  'popup:visibility': boolean;
  'settings:changed': Settings;
  /** The administrator's policy changed (read at start and whenever its file or registry key changes). */
  'settings:policy': PolicyState;
  /** The saved connections changed: an entry, a dial's progress, or which of them are connected. */
  'connections:saved': SavedState;
  /** Keep connected's status of every kept entry changed (an attempt, a wait, a stop). */
  'connections:keep': KeepStatus[];
}

export type RequestChannel = keyof typeof requestArgs;
export type PushChannel = keyof PushPayloads;
export type RequestArgs<C extends RequestChannel> = z.infer<(typeof requestArgs)[C]>;

/** Errors cross the boundary as data: a handler never throws into the renderer. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export const REQUEST_CHANNELS = Object.keys(requestArgs) as RequestChannel[];
export const PUSH_CHANNELS: readonly PushChannel[] = ['connections:update', 'popup:visibility', 'settings:changed', 'connections:saved', 'settings:policy', 'connections:keep'];

/** The API the preload puts on `window.linkwatch`; the popup only ever talks through it. */
export interface LinkwatchBridge {
  invoke<C extends RequestChannel>(channel: C, ...args: RequestArgs<C>): Promise<IpcResult<RequestResults[C]>>;
  on<C extends PushChannel>(channel: C, listener: (payload: PushPayloads[C]) => void): () => void;
}

/** Run-time check of a request's arguments: a readable error instead of a crash or a bad call. */
export function parseRequestArgs<C extends RequestChannel>(channel: C, args: unknown[]): IpcResult<RequestArgs<C>> {
  // The map indexes one schema per channel; TypeScript cannot narrow the union by a generic key itself.
  const schema = requestArgs[channel] as unknown as z.ZodType<RequestArgs<C>>;
  const parsed = schema.safeParse(args);
  if (parsed.success) return { ok: true, value: parsed.data };
  const detail = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'arguments'}: ${issue.message}`).join('; ');
  return { ok: false, error: { code: 'EINVALIDARGS', message: `${channel}: ${detail}` } };
}

export function isRequestChannel(value: unknown): value is RequestChannel {
  return typeof value === 'string' && Object.hasOwn(requestArgs, value);
}
