/** One error class with stable codes; translate library errors once, at the boundary. */
export type AppErrorCode =
  | 'tsid_config_invalid'
  | 'tsid_store_conflict'
  | 'tsid_store_unavailable'
  | 'tsid_flow_unsupported'
  /** The conversation was saved by a newer flow version (a rolling deploy): this instance leaves it alone. */
  | 'tsid_flow_version'
  | 'tsid_delivery_failed'
  | 'tsid_login_expired'
  | 'tsid_login_used'
  | 'tsid_login_failed'
  | 'tsid_login_unavailable'
  | 'tsid_request_forged'
  /** The Bot Framework signing keys cannot be fetched: a Teams request is answered 503. */
  | 'tsid_auth_unavailable'
  | 'tsid_internal';

export class AppError extends Error {
  readonly code: AppErrorCode;

  constructor(code: AppErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
  }
}

/** Normalises anything thrown into an AppError, keeping the original as `cause`. */
export function asAppError(error: unknown, fallback: AppErrorCode = 'tsid_internal'): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AppError(fallback, message, { cause: error });
}

/**
 * Failures that pass by themselves and changed nothing: the store is down or busy, or a
 * newer deploy owns the conversation. The customer is asked to try again in a minute.
 */
export function isTemporary(error: AppError): boolean {
  return (
    error.code === 'tsid_store_unavailable' ||
    error.code === 'tsid_store_conflict' ||
    error.code === 'tsid_flow_version'
  );
}
