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

/** Anything thrown by a backend, as the `{code, message}` that crosses IPC and stdout. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof BackendError) return error.toInfo();
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { code: typeof code === 'string' ? code : 'EUNKNOWN', message: error.message };
  }
  return { code: 'EUNKNOWN', message: String(error) };
}
