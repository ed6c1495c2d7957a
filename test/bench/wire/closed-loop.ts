import { performance } from 'node:perf_hooks';
import type { Tracked } from './tracked.js';
import { stepKind, type Request, type StepKind, type WireClient } from './wire-client.js';

/** A walk as one platform plays it: its requests and how many bot messages each one brings. */
export interface Script {
  requests: Request[];
  /** Messages (posts and updates) that reach the platform for each request, measured by calibration. */
  messages: number[];
}

export interface LoopOptions {
  client: WireClient;
  /** Conversation number → the script it plays (conversations alternate walks). */
  scripts: Script[];
  /** Customers with a turn in flight at any time (closed loop). */
  concurrency: number;
  /** Conversations in play; each customer cycles through its share of them, one turn each. */
  conversations: number;
  warmupMs: number;
  measureMs: number;
  /** Unique user ids for this loop. */
  userPrefix: string;
  turnTimeoutMs?: number;
  /** Called when the measured window opens and closes (CPU and Redis readings). */
  mark: (at: 'start' | 'end') => Promise<void> | void;
}

export interface LoopResult {
  turns: number;
  seconds: number;
  /** Request start → last message of the turn at the fake API, ms. */
  latencies: number[];
  /** Request start → HTTP response, ms. */
  acks: number[];
  /** The latencies again, by the kind of step each request was. */
  latenciesByKind: Partial<Record<StepKind, number[]>>;
  errors: number;
  firstError?: string;
}

interface Playing {
  tracked: Tracked;
  script: Script;
  next: number;
  expected: number;
}

/**
 * A closed loop: `concurrency` customers, each sending its next request as soon as the last
 * one's turn is complete (all its messages at the fake API). Turns that complete inside the
 * measured window count, so CPU read at the window's edges divides by them.
 */
export async function closedLoop(options: LoopOptions): Promise<LoopResult> {
  const { client, concurrency } = options;
  const timeoutMs = options.turnTimeoutMs ?? 15_000;
  let created = 0;
  const start = (slot: number): Playing => {
    const script = options.scripts[slot % options.scripts.length];
    return {
      tracked: client.open(`${options.userPrefix}${String(created++).padStart(7, '0')}`),
      script,
      next: 0,
      expected: 0,
    };
  };
  const result: LoopResult = { turns: 0, seconds: 0, latencies: [], acks: [], latenciesByKind: {}, errors: 0 };
  const windowStart = performance.now() + options.warmupMs;
  const windowEnd = windowStart + options.measureMs;
  const at = (ms: number, edge: 'start' | 'end') =>
    new Promise<void>((resolve) => setTimeout(() => void Promise.resolve(options.mark(edge)).then(resolve), ms));
  const marks = Promise.all([at(options.warmupMs, 'start'), at(options.warmupMs + options.measureMs, 'end')]);
  const playingNow: Playing[] = [];

  const customer = async (index: number) => {
    const mine = Array.from({ length: Math.max(1, Math.ceil(options.conversations / concurrency)) }, (_, k) =>
      start(index + k * concurrency),
    );
    playingNow.push(...mine);
    for (let k = 0; performance.now() < windowEnd; k = (k + 1) % mine.length) {
      const playing = mine[k];
      const request = playing.script.requests[playing.next];
      playing.expected += playing.script.messages[playing.next];
      const t0 = performance.now();
      try {
        const status = await client.send(playing.tracked, request);
        const acked = performance.now();
        if (status !== 200) throw new Error(`HTTP ${status}`);
        const done = await playing.tracked.until(playing.expected, timeoutMs);
        if (done >= windowStart && done <= windowEnd) {
          result.turns++;
          result.latencies.push(done - t0);
          result.acks.push(acked - t0);
          (result.latenciesByKind[stepKind(request)] ??= []).push(done - t0);
        }
        playing.next++;
      } catch (error) {
        result.errors++;
        result.firstError ??= error instanceof Error ? error.message : String(error);
        playing.next = playing.script.requests.length; // this customer starts over
      }
      if (playing.next >= playing.script.requests.length) {
        client.close(playing.tracked);
        mine[k] = start(index + k * concurrency);
        playingNow.push(mine[k]);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, index) => customer(index)));
  await marks;
  result.seconds = options.measureMs / 1000;
  for (const playing of playingNow) client.close(playing.tracked);
  return result;
}
