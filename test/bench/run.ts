/**
 * `npm run bench`: every benchmark in turn, results on stdout. Not part of `npm test`.
 * Uses REDIS_URL when set, else starts a private redis-server. Add a benchmark to the list.
 */
import { flowTurns } from './flow-turns.bench.js';
import { parkedMemory } from './parked-memory.bench.js';
import { storeThroughput } from './store-throughput.bench.js';

const benches: [name: string, run: () => Promise<string[]>][] = [
  ['flow: turns of the real guide', flowTurns],
  ['store: turns per second', storeThroughput],
  ['store: Redis bytes per parked conversation', parkedMemory],
];

for (const [name, run] of benches) {
  console.log(`# ${name}`);
  for (const line of await run()) console.log(line);
}
