import type { RedisConnection, SingleNodeConnection } from '../../../src/store/redis-connection.js';
import { callsBetween, commandCalls } from '../../bench/wire/redis-probe.js';

/** A client of each master of a Cluster connection (INFO, SCAN and MEMORY USAGE are per node). */
export async function masterClients(connection: RedisConnection): Promise<SingleNodeConnection[]> {
  if (!('getMasters' in connection)) throw new Error('not a Cluster connection');
  return Promise.all(connection.getMasters().map((master) => connection.nodeClient(master)));
}

/** INFO used_memory summed over `masters`. */
export async function usedMemory(masters: SingleNodeConnection[]): Promise<number> {
  const infos = await Promise.all(masters.map((master) => master.info('memory')));
  return infos.reduce((sum, info) => sum + Number(/^used_memory:(\d+)/m.exec(info)![1]), 0);
}

export interface KindUsage {
  keys: number;
  /** MEMORY USAGE of a key of this kind, averaged over the sampled keys. */
  bytesPerKey: number;
  /** That, times the keys of this kind, per parked conversation. */
  bytesPerConversation: number;
}

/**
 * MEMORY USAGE per parked conversation by kind of key under `prefix`: a key's kind is its name
 * with the conversation's user part (`userPattern`) replaced by `<user>` and other numbers (a shard's) by `<n>`. Kinds of one key per
 * conversation are sampled (`sample` keys each); keys shared by many conversations (a shard's
 * due set) are measured whole and spread over all `conversations`.
 */
export async function memoryByKind(
  masters: SingleNodeConnection[],
  prefix: string,
  userPattern: RegExp,
  conversations: number,
  sample = 200,
): Promise<Record<string, KindUsage>> {
  const kinds = new Map<string, { keys: number; sampled: string[]; node: SingleNodeConnection[] }>();
  for (const master of masters) {
    for await (const batch of master.scanIterator({ MATCH: `${prefix}:*`, COUNT: 1000 })) {
      for (const key of batch) {
        const kind = key
          .replace(prefix, '<prefix>')
          .replace(new RegExp(userPattern.source, 'g'), '<user>')
          .replace(/\d+/g, '<n>');
        const seen = kinds.get(kind) ?? { keys: 0, sampled: [], node: [] };
        seen.keys++;
        // Every shared key is measured; a per-conversation kind only its first `sample` keys.
        if (!kind.includes('<user>') || seen.sampled.length < sample) {
          seen.sampled.push(key);
          seen.node.push(master);
        }
        kinds.set(kind, seen);
      }
    }
  }
  const usage: Record<string, KindUsage> = {};
  for (const [kind, { keys, sampled, node }] of kinds) {
    let bytes = 0;
    for (const [i, key] of sampled.entries()) bytes += (await node[i].memoryUsage(key, { SAMPLES: 0 })) ?? 0;
    const bytesPerKey = bytes / sampled.length;
    usage[kind] = { keys, bytesPerKey, bytesPerConversation: (bytesPerKey * keys) / conversations };
  }
  return usage;
}

/** Calls per command (commandstats, commands inside scripts included) summed over `masters`. */
export async function clusterCalls(masters: SingleNodeConnection[]): Promise<Map<string, number>> {
  const sum = new Map<string, number>();
  for (const calls of await Promise.all(masters.map(commandCalls)))
    for (const [command, n] of calls) sum.set(command, (sum.get(command) ?? 0) + n);
  return sum;
}

/** `total per unit (command n, …)` between two readings, without the probes' own commands. */
export function callsPer(before: Map<string, number>, after: Map<string, number>, units: number): string {
  const delta = [...callsBetween(before, after)].sort(([, a], [, b]) => b - a);
  const total = delta.reduce((sum, [, n]) => sum + n, 0);
  return `${(total / units).toFixed(1)} (${delta.map(([command, n]) => `${command} ${(n / units).toFixed(2)}`).join(', ')})`;
}
