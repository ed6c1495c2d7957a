import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ConversationEngine, type ConversationKey, type Deliver, type FlowDefinition } from '../../src/engine/index.js';
import { systemClock } from '../../src/scheduler/clock.js';
import { RedisReminderScheduler } from '../../src/scheduler/redis-reminder-scheduler.js';
import {
  closeRedisConnection,
  createRedisConnection,
  waitUntilReady,
  type RedisConnection,
  type RedisTarget,
} from '../../src/store/redis-connection.js';
import { RedisConversationStore } from '../../src/store/redis-conversation-store.js';
import { createCounterFlow, textOf } from './counter-flow.js';
import { childScriptArgs } from '../support/child-script.js';

/** One bot instance as main.ts would build it on Redis: its own connection, store, scheduler and engine. */
export interface Instance {
  engine: ConversationEngine;
  store: RedisConversationStore;
  scheduler: RedisReminderScheduler;
  connection: RedisConnection;
}

export interface InstanceOptions {
  /** A single node's URL, or a Cluster / Sentinel target. */
  url: string | RedisTarget;
  prefix: string;
  deliver: Deliver;
  flow?: FlowDefinition;
  outboxLeaseMs?: number;
  commandTimeoutMs?: number;
  /** RedisConversationStoreOptions.replicaWaitMs (Cluster / Sentinel). */
  replicaWaitMs?: number;
  /** Told of every compare-and-set this instance lost (and re-ran). */
  onConflict?: (conversationId: string) => void;
}

/** Starts `count` instances sharing one Redis (and key prefix). */
export async function startInstances(count: number, options: InstanceOptions): Promise<Instance[]> {
  return Promise.all(Array.from({ length: count }, () => startInstance(options)));
}

export async function startInstance(options: InstanceOptions): Promise<Instance> {
  const connection = createRedisConnection(options.url, { commandTimeoutMs: options.commandTimeoutMs });
  await waitUntilReady(connection, 15_000);
  const store = new RedisConversationStore(connection, {
    prefix: options.prefix,
    retentionMs: 3_600_000,
    replicaWaitMs: options.replicaWaitMs,
  });
  const scheduler = new RedisReminderScheduler(connection, { prefix: options.prefix });
  const engine = new ConversationEngine({
    flow: options.flow ?? createCounterFlow(),
    store,
    scheduler,
    clock: systemClock,
    deliver: options.deliver,
    outboxLeaseMs: options.outboxLeaseMs,
    onConflict: options.onConflict,
  });
  return { engine, store, scheduler, connection };
}

export function closeInstances(instances: Instance[]): void {
  for (const instance of instances) closeRedisConnection(instance.connection);
}

/** A fresh conversation key. */
export function newKey(tag = 'u'): ConversationKey {
  return { channel: 'local', tenant: 'reliability', user: `${tag}-${randomUUID().slice(0, 8)}` };
}

/** What a fake platform received: conversation and text, in arrival order. */
export function recordingDeliver(log: { conversationId: string; text: string; at: number }[]): Deliver {
  return async ({ conversationId, message }) => {
    log.push({ conversationId, text: textOf(message), at: Date.now() });
  };
}

/** A bot instance in a process of its own (test/reliability/engine-process.ts, chaos-process.ts). */
export interface ChildInstance {
  child: ChildProcess;
  /** Writes one JSON line to the child's standard input. */
  send(line: Record<string, unknown>): void;
  /** Every JSON line the child printed so far. */
  lines: Record<string, unknown>[];
  /** Resolves with the first line matching `predicate`. */
  waitFor(predicate: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const ENGINE_PROCESS = fileURLToPath(new URL('./engine-process.ts', import.meta.url));

/**
 * Spawns `<script>` (default engine-process.ts, compiled: child-script.ts) with `env` (REDIS_URL, PREFIX, MODE, ...)
 * and `nodeArgs` before it (`--cpu-prof`, which NODE_OPTIONS may not carry).
 */
export function spawnInstance(
  env: Record<string, string>,
  script = ENGINE_PROCESS,
  nodeArgs: string[] = [],
): ChildInstance {
  const child = spawn(process.execPath, [...nodeArgs, ...childScriptArgs(script)], {
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.on('error', () => undefined); // a killed child's stdin: writes after its death are dropped
  const lines: Record<string, unknown>[] = [];
  const waiters: {
    predicate: (line: Record<string, unknown>) => boolean;
    resolve: (line: Record<string, unknown>) => void;
  }[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  createInterface({ input: child.stdout }).on('line', (text) => {
    const line = JSON.parse(text) as Record<string, unknown>;
    lines.push(line);
    for (const waiter of [...waiters]) {
      if (!waiter.predicate(line)) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const waitFor = (predicate: (line: Record<string, unknown>) => boolean, timeoutMs = 15_000) => {
    const seen = lines.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`child ${child.pid} did not report in ${timeoutMs} ms; stderr: ${stderr}`)),
        timeoutMs,
      );
      waiters.push({ predicate, resolve: (line) => (clearTimeout(timer), resolve(line)) });
      void exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`child exited (${code ?? signal}); stderr: ${stderr}`));
      });
    });
  };
  const send = (line: Record<string, unknown>) => void child.stdin.write(`${JSON.stringify(line)}\n`);
  return { child, send, lines, waitFor, exited };
}
