import { asAppError } from '../errors.js';
import type { Logger } from './logger.js';

/**
 * Last-resort handlers for the process. A rejection nobody handled is a bug (every
 * background loop catches its own failures): it is logged with its code and the process
 * goes on. An uncaught exception leaves the process in an unknown state: it is logged and
 * the process exits non-zero, so the crash is visible and the supervisor restarts it.
 */
export function installCrashHandlers(
  logger: Logger,
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  process.on('unhandledRejection', (reason) => {
    const error = asAppError(reason);
    logger.error(
      { code: error.code, cause: error.message },
      'unhandled promise rejection (a bug); the process goes on',
    );
  });
  process.on('uncaughtException', (thrown) => {
    const error = asAppError(thrown);
    const stack = thrown instanceof Error ? thrown.stack : undefined;
    logger.fatal({ code: error.code, cause: error.message, stack }, 'uncaught exception; exiting');
    exit(1);
  });
}
