/**
 * `npm run bench`: the composed bot against the framework echo floors over the real wire
 * (test/bench/wire), then the in-process benchmarks. Not part of `npm test`.
 *
 *   npm run bench [-- --quick] [--json FILE] [--redis redis://host:port/db] [--cpu-prof DIR] [--only parked]
 *
 * --quick: one short round each (under 2 minutes); of the in-process benchmarks only the real flow's turns.
 * The bot processes (ours and the floors) run as one esbuild bundle each (test/support/child-script.ts), no loader.
 * --redis: an empty Redis database to use instead of a private redis-server (flushed at the end).
 * --cpu-prof: our bot's process writes a V8 CPU profile into DIR (summarised at the end).
 * --only parked: only the parked-conversation figure (our bot alone, about a minute).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { flowTurns } from './flow-turns.bench.js';
import { slackUpdateCost } from './slack-update.bench.js';
import { storeThroughput } from './store-throughput.bench.js';
import { summariseProfiles } from './wire/cpu-profile.js';
import { figureLines } from './wire/figures.js';
import { FULL, QUICK } from './wire/settings.js';
import { runWireBench } from './wire/wire-bench.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    json: { type: 'string' },
    redis: { type: 'string' },
    'cpu-prof': { type: 'string' },
    only: { type: 'string' },
  },
});
if (values.only !== undefined && values.only !== 'parked')
  throw new Error(`--only ${values.only}: only "parked" is known`);
if (values.only === 'parked') {
  console.log('# parked conversations (only)');
  const { settings, ...parked } = await runWireBench({
    ...(values.quick ? QUICK : FULL),
    redisUrl: values.redis,
    onlyParked: true,
    log: (line) => console.log(`  ${line}`),
  });
  console.log(`  settings: ${JSON.stringify(settings)}`);
  for (const line of figureLines(parked)) console.log(line);
  if (values.json) writeFileSync(values.json, `${JSON.stringify({ ...parked, settings }, null, 2)}\n`);
  process.exit(0);
}
const profileDir = values['cpu-prof'];
if (profileDir) mkdirSync(profileDir, { recursive: true });

console.log(`# wire: the composed bot vs the framework echo floors (${values.quick ? 'quick' : 'full'})`);
const report = await runWireBench({
  ...(values.quick ? QUICK : FULL),
  redisUrl: values.redis,
  ourNodeFlags: profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [],
  log: (line) => console.log(`  ${line}`),
});
console.log('# in-process: turns of the real guide, memory store');
const flow = await flowTurns();
for (const line of flow.lines) console.log(line);
const { settings, ...figures } = { ...report, flowCpuUs: flow.cpuUsPerTurn };
console.log(`  settings: ${JSON.stringify(settings)}`);
for (const line of figureLines(figures)) console.log(line);
if (values.json)
  writeFileSync(values.json, `${JSON.stringify({ ...report, flowCpuUs: flow.cpuUsPerTurn }, null, 2)}\n`);
if (profileDir) for (const line of summariseProfiles(profileDir)) console.log(line);

if (!values.quick) {
  console.log('# in-process: store turns per second');
  for (const line of await storeThroughput()) console.log(line);
  console.log('# in-process: CPU of one Slack Web API call, and of redrawing a clicked message by response_url');
  for (const line of await slackUpdateCost()) console.log(line);
}
