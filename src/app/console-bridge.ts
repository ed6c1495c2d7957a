import { format } from 'node:util';
import type { Logger } from './logger.js';

/**
 * Libraries that print with `console` (botbuilder prints a refused token's error and the
 * public key, over several lines) would break the one-JSON-object-per-line log. This sends
 * every console call to the logger instead: its first line only, at most 200 characters,
 * and the same line at most once a minute (`unlogged` counts the repeats in between).
 * Returns a function that puts the console back.
 */
export function routeConsoleToLogger(logger: Logger, windowMs = 60_000, now: () => number = Date.now): () => void {
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const original = methods.map((method) => console[method].bind(console));
  const last = new Map<string, { at: number; unlogged: number }>();
  for (const method of methods) {
    console[method] = (...args: unknown[]) => {
      const line = format(...args.map((arg) => (arg instanceof Error ? `${arg.name}: ${arg.message}` : arg)))
        .split('\n')[0]
        .slice(0, 200);
      const seen = last.get(line);
      if (seen && now() - seen.at < windowMs) return void (seen.unlogged += 1);
      last.set(line, { at: now(), unlogged: 0 });
      if (last.size > 1000) last.delete(last.keys().next().value!);
      const fields = { source: 'console', method, unlogged: seen?.unlogged ?? 0 };
      if (method === 'error' || method === 'warn') logger.warn(fields, line);
      else logger.info(fields, line);
    };
  }
  return () => methods.forEach((method, i) => (console[method] = original[i]));
}
