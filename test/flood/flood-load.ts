import { randomUUID } from 'node:crypto';
import { sign, SIGNING_SECRET, dmMessage } from '../adapters/slack/signed-request.js';

/** Slack's retry schedule for a request it got no 2xx for within 3 s: 1 s, 1 min, 5 min. */
const SLACK_RETRIES_MS = [1_000, 60_000, 300_000];
const SLACK_DEADLINE_MS = 3_000;

export interface LoadResult {
  /** Conversations whose request got a 2xx (at some attempt). */
  acknowledged: Set<number>;
  /** Non-2xx answers (and timeouts), every attempt counted. */
  refused: number;
  timeouts: number;
  /** Conversations Slack gave up on after its three retries. */
  gaveUp: number;
  /** Time to the 2xx of accepted requests, ms. */
  ackMs: number[];
  elapsedMs: number;
}

/**
 * Simulated Slack: one signed "ciao" from each of `count` new users, `concurrency` requests
 * at a time, spread over `bases` round-robin (a retry goes to the next one, as behind a load
 * balancer). A request not answered 2xx within 3 s is retried with the same event id and
 * `X-Slack-Retry-Num`, on Slack's schedule divided by `compress`.
 */
export async function flood(
  bases: string[],
  count: number,
  concurrency: number,
  compress: number,
): Promise<LoadResult> {
  const result: LoadResult = { acknowledged: new Set(), refused: 0, timeouts: 0, gaveUp: 0, ackMs: [], elapsedMs: 0 };
  const started = Date.now();
  let active = 0;
  const waiting: (() => void)[] = [];
  const slot = async () => {
    if (active >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
  };
  const free = () => {
    active--;
    waiting.shift()?.();
  };
  const run = (id: number) => attempt(id, 0);
  const attempt = async (id: number, retry: number): Promise<void> => {
    await slot();
    let ok = false;
    const sent = Date.now();
    try {
      const response = await send(bases[(id + retry) % bases.length], id, retry);
      ok = response >= 200 && response < 300;
      if (ok) result.ackMs.push(Date.now() - sent);
      else result.refused++;
    } catch {
      result.timeouts++;
      result.refused++;
    } finally {
      free();
    }
    if (ok) return void result.acknowledged.add(id);
    if (retry >= SLACK_RETRIES_MS.length) return void result.gaveUp++;
    await new Promise((resolve) => setTimeout(resolve, SLACK_RETRIES_MS[retry] / compress));
    await attempt(id, retry + 1);
  };
  await Promise.all(Array.from({ length: count }, (_, id) => run(id)));
  result.elapsedMs = Date.now() - started;
  return result;
}

/** What Slack resends on a retry: the same event id and event. */
const events = new Map<number, { eventId: string; event: Record<string, unknown> }>();

async function send(base: string, id: number, retry: number): Promise<number> {
  let known = events.get(id);
  if (!known) {
    known = { eventId: `EvF${randomUUID().replace(/-/g, '').slice(0, 12)}`, event: dmMessage(`UF${id}`, 'ciao') };
    events.set(id, known);
  }
  const body = JSON.stringify({
    token: 'legacy-token',
    team_id: 'T1',
    api_app_id: 'A1',
    type: 'event_callback',
    event_id: known.eventId,
    event_time: Math.floor(Date.now() / 1000),
    event: known.event,
  });
  const timestamp = Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': sign(SIGNING_SECRET, timestamp, body),
  };
  if (retry > 0) {
    headers['x-slack-retry-num'] = String(retry);
    headers['x-slack-retry-reason'] = 'http_error';
  }
  const response = await fetch(`${base}/slack/events`, {
    method: 'POST',
    body,
    headers,
    signal: AbortSignal.timeout(SLACK_DEADLINE_MS),
  });
  await response.arrayBuffer();
  return response.status;
}
