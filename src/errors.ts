/** One error class with stable codes; translate library errors once, at the boundary. */
export type AppErrorCode =
  | 'tsid_config_invalid'
  | 'tsid_store_conflict'
  | 'tsid_store_unavailable'
  | 'tsid_flow_unsupported'
  /** The conversation was saved by a newer flow version (a rolling deploy): this instance leaves it alone. */
  | 'tsid_flow_version'
  | 'tsid_delivery_failed'
  /** The platform refused this one message for good (4xx, an encoding error, a block or length limit): retrying cannot help. */
  | 'tsid_delivery_rejected'
  | 'tsid_login_expired'
  | 'tsid_login_used'
  /** A link replaced by a newer one, or one its conversation no longer waits for: nothing is used up. */
  | 'tsid_login_stale'
  | 'tsid_login_failed'
  | 'tsid_login_unavailable'
  | 'tsid_request_forged'
  /** The Bot Framework signing keys cannot be fetched: a Teams request is answered 503. */
  | 'tsid_auth_unavailable'
  | 'tsid_internal';

export class AppError extends Error {
  readonly code: AppErrorCode;
  /** A short, stable, low-cardinality why (`slack_invalid_blocks`, `http_413`, `encoding`): metric labels, logs. */
  readonly reason?: string;

  constructor(code: AppErrorCode, message: string, options?: { cause?: unknown; reason?: string }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    if (options?.reason !== undefined) this.reason = options.reason;
  }
}

/**
 * A delivery the platform refused for good. Adapters, which know their platform's errors,
 * throw it; the engine then moves the message to the dead-letter list instead of retrying.
 * `reason` must be a short token with no message content in it.
 */
export function deliveryRejected(reason: string, cause: unknown): AppError {
  return new AppError('tsid_delivery_rejected', `the platform refused the message for good: ${reason}`, {
    cause,
    reason,
  });
}

/**
 * Whether an HTTP status refuses this request for good: a 4xx other than 408 (timeout),
 * 429 (throttled) and 401 (the bot's own credentials: every message would fail, so the
 * outbox keeps them until an operator fixes the configuration).
 */
export function isRejectingStatus(status: number): boolean {
  return status >= 400 && status < 500 && status !== 401 && status !== 408 && status !== 429;
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
