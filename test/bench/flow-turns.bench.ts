import { performance } from 'node:perf_hooks';
import { createTsidFlow } from '../../flows/tsid-digital-invoice/index.js';
import { ConversationEngine } from '../../src/engine/index.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { MemoryReminderScheduler } from '../../src/scheduler/reminder-scheduler.js';
import { MemoryConversationStore } from '../../src/store/conversation-store.js';
import { TYPED_TO_INVITE } from '../support/typed-walk.js';
import { median } from './wire/stats.js';

// One customer's first company to a green chain (two companies listed): 23 turns through the real statechart.
const GUIDE: string[] = [...TYPED_TO_INVITE, 'accettato', 'verde', 'stato'];

export interface FlowTurns {
  customers: number;
  turnsPerSecond: number;
  cpuUsPerTurn: number;
}

/** Turns per second and CPU per turn of the real flow on the memory store (no channel). */
export async function measureFlowTurns(): Promise<FlowTurns> {
  const clock = new ManualClock();
  const engine = new ConversationEngine({
    flow: createTsidFlow(),
    store: new MemoryConversationStore(() => clock.now()),
    scheduler: new MemoryReminderScheduler(),
    clock,
    deliver: async () => undefined,
  });
  const run = async (customers: number, offset: number) => {
    for (let c = 0; c < customers; c++) {
      const key = { channel: 'local' as const, tenant: 'bench', user: `u${offset + c}` };
      for (const text of GUIDE) await engine.handle({ key, event: { type: 'user.text', text } });
    }
  };
  await run(50, 0); // warm-up
  const customers = 500;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await run(customers, 1000);
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const turns = customers * GUIDE.length;
  return {
    customers,
    turnsPerSecond: Math.round(turns / seconds),
    cpuUsPerTurn: Math.round((used.user + used.system) / turns),
  };
}

/** `runs` measurements (a shared machine is noisy), each printed, and the median CPU per turn. */
export async function flowTurns(runs = 3): Promise<{ lines: string[]; cpuUsPerTurn: number }> {
  const lines: string[] = [];
  const cpu: number[] = [];
  for (let run = 0; run < runs; run++) {
    const measured = await measureFlowTurns();
    cpu.push(measured.cpuUsPerTurn);
    lines.push(
      `real flow, memory store, ${measured.customers} guides x ${GUIDE.length} turns, sequential: ${measured.turnsPerSecond} turns/s, ${measured.cpuUsPerTurn} µs CPU per turn`,
    );
  }
  const cpuUsPerTurn = median(cpu);
  lines.push(`median of ${runs}: ${cpuUsPerTurn} µs CPU per turn`);
  return { lines, cpuUsPerTurn };
}
