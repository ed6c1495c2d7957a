/**
 * The logger the Teams channel writes to: pino's `(fields, message)` shape, so main.ts can
 * pass its pino logger. Fields never carry tokens, e-mail addresses or VAT numbers.
 */
export interface TeamsLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** Default: one JSON line per entry on the console. */
export const consoleLog: TeamsLog = {
  info: (fields, message) => console.info(JSON.stringify({ level: 'info', msg: message, ...fields })),
  warn: (fields, message) => console.warn(JSON.stringify({ level: 'warn', msg: message, ...fields })),
  error: (fields, message) => console.error(JSON.stringify({ level: 'error', msg: message, ...fields })),
};
