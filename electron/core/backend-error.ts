import type { ErrorInfo } from '../../shared/connection';

/** A failure of a backend call, with the OS/RAS code kept so the popup and CLI can show it as data. */
export class BackendError extends Error {
  readonly code: number | string;

  constructor(code: number | string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BackendError';
    this.code = code;
  }

  toInfo(): ErrorInfo {
    return { code: this.code, message: this.message };
  }
}

/**
 * Anything thrown by a backend, as the `{code, message}` that crosses IPC and stdout. Never throws, whatever
 * was thrown: a null-prototype object, a `toString` or a `message`/`code` getter that throws, a Proxy whose
 * traps throw (or a revoked one). Each part is read on its own, so one broken part does not lose the others.
 */
export function toErrorInfo(error: unknown): ErrorInfo {
  const code = attempt(() => errorCode(error), 'EUNKNOWN');
  const message = attempt(() => errorMessage(error), null) ?? describeValue(error);
  return { code, message };
}

function attempt<T, F>(read: () => T, fallback: F): T | F {
  try {
    return read();
  } catch {
    return fallback;
  }
}

function errorCode(error: unknown): number | string {
  const code = error instanceof BackendError || error instanceof Error ? (error as { code?: unknown }).code : undefined;
  if (typeof code === 'string') return code;
  if (typeof code === 'number' && error instanceof BackendError) return code;
  return 'EUNKNOWN';
}

function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) return describeValue(error);
  const message: unknown = error.message;
  return typeof message === 'string' ? message : describeValue(message);
}

/**
 * Any value as text, never throwing: `String(value)`, or failing that the `[object …]` tag, or failing even
 * that a fixed text. For values from outside (a thrown value, an IPC channel) that must go into a message.
 */
export function describeValue(value: unknown): string {
  try {
    return String(value);
  } catch {
    return attempt(() => Object.prototype.toString.call(value), 'an unreadable value was thrown');
  }
}
