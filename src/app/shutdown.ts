import type { Server } from 'node:http';
import type { DrainGate } from './drain-gate.js';
import type { InFlightTurns } from './in-flight-turns.js';
import type { Logger } from './logger.js';
import { closeServer } from './server.js';

/** What a shutdown waits for, and what it closes at the end. */
export interface ShutdownParts {
  gate: DrainGate;
  server: Server;
  turns: InFlightTurns;
  /** Background loops; each `stop()` resolves once its current pass has ended. */
  loops: { stop(): Promise<void> }[];
  /** Other work still running, by name (0: none): Slack events being handled, posts queued. */
  busy: Record<string, () => number>;
  /** Stops work that does not come over HTTP (Slack Socket Mode), at the start. */
  stopIntake: () => Promise<void>;
  /** Closes what is left (Redis) once the work is done or given up. */
  close: () => Promise<void>;
  logger: Logger;
}

export interface ShutdownReport {
  /** Everything finished within the time allowed. */
  clean: boolean;
  /** What was still running when the time ran out (all zero when clean). */
  left: Record<string, number | string[]>;
}

/**
 * SIGTERM/SIGINT: refuse new requests at once (`/readyz` 503 included), let the turns in
 * flight finish and flush their outbox, let the loops end their current pass, then close.
 * Past `timeoutMs` it closes anyway and reports what was left: items not yet sent stay in
 * the outbox, where another instance's sweeper (or this one's, after a restart) finds them.
 */
export async function shutDown(parts: ShutdownParts, timeoutMs: number): Promise<ShutdownReport> {
  const { gate, server, turns, logger } = parts;
  // The server keeps listening, idle keep-alive connections included: probes and clients get
  // a clear 503 (with Connection: close) rather than a refused or reset connection.
  gate.startDraining();
  logger.info({ timeoutMs }, 'shutting down: new requests refused, finishing the work in flight');
  const intakeStopped = parts
    .stopIntake()
    .catch((error: unknown) => logger.error({ cause: messageOf(error) }, 'stopping Socket Mode failed'));

  const left = (): ShutdownReport['left'] => {
    const counts: ShutdownReport['left'] = { turns: turns.count, requests: gate.openRequests };
    for (const [name, count] of Object.entries(parts.busy)) counts[name] = count();
    return counts;
  };
  const idle = () => Object.values(left()).every((count) => count === 0);
  let gaveUp = false;
  const drained = (async () => {
    await Promise.all([intakeStopped, ...parts.loops.map((loop) => loop.stop())]);
    while (!idle() && !gaveUp) await new Promise((resolve) => setTimeout(resolve, 10));
    return !gaveUp;
  })();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  const clean = await Promise.race([drained, timedOut]);
  gaveUp = true;
  clearTimeout(timer);

  const report: ShutdownReport = { clean, left: clean ? {} : { ...left(), conversations: turns.conversations() } };
  if (clean) logger.info('shut down cleanly');
  else
    logger.error(
      { code: 'tsid_shutdown_timeout', timeoutMs, ...report.left },
      'shutdown timed out: what was left stays in the outbox for another instance',
    );
  await closeServer(server);
  await parts.close().catch((error: unknown) => logger.error({ cause: messageOf(error) }, 'closing failed'));
  return report;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
