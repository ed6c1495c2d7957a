import { performance } from 'node:perf_hooks';
import type { SingleNodeConnection } from '../../../src/store/redis-connection.js';
import type { Script } from './closed-loop.js';
import { watchRoundTrips } from './redis-probe.js';
import type { Step } from './walks.js';
import type { WireClient } from './wire-client.js';

export interface Calibrated {
  script: Script;
  /** Redis round trips per request of this walk, named by the conversation (MONITOR). */
  roundTrips: number;
  /** Request start → its last message, for each request, alone on the bot (what a step costs). */
  latencies: number[];
  lastText: string;
}

/**
 * Walks once, alone, waiting after each request until the bot is quiet: how many messages
 * each request brings (the closed loop then knows when a turn is complete), and the Redis
 * round trips each costs. Fails when the walk does not end with `expectEnd`.
 */
export async function calibrate(
  client: WireClient,
  steps: Step[],
  user: string,
  openMonitor: () => Promise<SingleNodeConnection>,
  expectEnd: string,
  quietMs = 80,
): Promise<Calibrated> {
  const requests = client.requests(steps);
  const tracked = client.open(user);
  const watch = await watchRoundTrips(await openMonitor(), () => [user]);
  const messages: number[] = [];
  const latencies: number[] = [];
  try {
    for (const request of requests) {
      const before = tracked.seen;
      const sent = performance.now();
      const status = await client.send(tracked, request);
      if (status !== 200) throw new Error(`${client.channel} answered HTTP ${status} to ${JSON.stringify(request)}`);
      await tracked.settle(before, quietMs);
      messages.push(tracked.seen - before);
      latencies.push(tracked.lastAt - sent);
    }
  } finally {
    client.close(tracked);
  }
  const trips = await watch.stop();
  const lastText = client.lastText(tracked);
  if (!lastText.includes(expectEnd))
    throw new Error(`${client.channel}: the walk ended with "${lastText.slice(0, 200)}", not "${expectEnd}"`);
  return { script: { requests, messages }, roundTrips: trips / requests.length, latencies, lastText };
}
