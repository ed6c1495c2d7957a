import type { WireBenchOptions } from './wire-bench.js';

/** `npm run bench`: about 10 minutes on a 2-core machine. */
export const FULL: WireBenchOptions = {
  concurrencies: [16, 64],
  reps: 3,
  warmupMs: 2000,
  measureMs: 12_000,
  conversations: 1024,
  parked: 10_000,
  parkedWalked: 200,
};

/** `npm run bench -- --quick`: the same figures from one short round each, under 2 minutes. */
export const QUICK: WireBenchOptions = {
  concurrencies: [16, 64],
  reps: 1,
  warmupMs: 1000,
  measureMs: 3000,
  conversations: 256,
  parked: 10_000,
  parkedWalked: 50,
};
