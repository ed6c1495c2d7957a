import { ClientError, ResponseBodyError, AuthorizationResponseError } from 'openid-client';
import { AppError, type AppErrorCode } from '../errors.js';

/**
 * The identity provider could not be reached or answered 5xx. Raised by our fetch wrapper
 * so "unavailable" is told apart from "refused" by type, never by an error message.
 */
export class ProviderUnreachable extends Error {
  constructor(what: string, options?: { cause?: unknown }) {
    super(`identity provider unreachable: ${what}`, options);
    this.name = 'ProviderUnreachable';
  }
}

/**
 * Translates anything openid-client (or our fetch wrapper) threw into an AppError, once:
 * `tsid_login_unavailable` when the provider was unreachable, `tsid_login_failed` otherwise.
 */
export function toLoginError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const code: AppErrorCode = causes(error).some((e) => e instanceof ProviderUnreachable)
    ? 'tsid_login_unavailable'
    : 'tsid_login_failed';
  return new AppError(
    code,
    `sign-in ${code === 'tsid_login_unavailable' ? 'unavailable' : 'failed'}: ${describe(error)}`,
    {
      cause: error,
    },
  );
}

/** A log-safe one-liner (the cause chain): error classes and protocol codes, never a token or a claim. */
export function describe(error: unknown): string {
  return causes(error).map(label).join(' <- ');
}

function label(error: unknown): string {
  if (error instanceof ResponseBodyError) return `${error.name} ${error.status} ${error.error}`;
  if (error instanceof AuthorizationResponseError) return `${error.name} ${error.error}`;
  if (error instanceof ClientError) return `${error.name} ${error.code ?? ''}`.trim();
  if (error instanceof AppError) return error.code;
  if (error instanceof ProviderUnreachable) return error.message;
  const code = (error as { code?: unknown } | undefined)?.code;
  if (error instanceof Error) return typeof code === 'string' ? `${error.name} ${code}` : error.name;
  return typeof error;
}

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = error; e !== undefined && chain.length < 8; e = e instanceof Error ? e.cause : undefined) chain.push(e);
  return chain;
}
