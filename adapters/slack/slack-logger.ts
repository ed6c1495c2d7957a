import { LogLevel, type Logger } from '@slack/bolt';

/** The logging the Slack channel needs; a pino logger fits. */
export interface SlackLogger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** Warnings and errors as JSON lines on stderr; the default when no logger is given. */
export const stderrLogger: SlackLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (fields, message) => process.stderr.write(`${JSON.stringify({ level: 'warn', ...fields, msg: message })}\n`),
  error: (fields, message) => process.stderr.write(`${JSON.stringify({ level: 'error', ...fields, msg: message })}\n`),
};

/**
 * Bolt's logger interface on top of ours. Bolt's debug output (request bodies, which may
 * hold e-mail addresses) is dropped whatever the level.
 */
export function boltLogger(logger: SlackLogger): Logger {
  let level = LogLevel.INFO;
  const text = (parts: unknown[]) =>
    parts.map((part) => (part instanceof Error ? part.message : String(part))).join(' ');
  return {
    debug: () => undefined,
    info: (...parts) => logger.info({ component: 'bolt' }, text(parts)),
    warn: (...parts) => logger.warn({ component: 'bolt' }, text(parts)),
    error: (...parts) => logger.error({ component: 'bolt' }, text(parts)),
    setLevel: (next) => void (level = next),
    getLevel: () => level,
    setName: () => undefined,
  };
}
