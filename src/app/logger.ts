import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs on stdout. Fields that could carry personal data or secrets are censored
 * wherever they appear, as a net under the rule that callers never log them.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'tsid-assistant' },
      redact: {
        paths: [
          'email',
          '*.email',
          'vat',
          '*.vat',
          'token',
          '*.token',
          'text',
          '*.text',
          'authorization',
          '*.authorization',
          'password',
        ],
        censor: '[redacted]',
      },
    },
    destination as never,
  );
}
