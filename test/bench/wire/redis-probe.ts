import type { SingleNodeConnection } from '../../../src/store/redis-connection.js';

/** Calls per command from `INFO commandstats` (commands run inside Lua scripts included, as Redis counts them). */
export async function commandCalls(connection: SingleNodeConnection): Promise<Map<string, number>> {
  const calls = new Map<string, number>();
  for (const match of (await connection.info('commandstats')).matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm))
    calls.set(match[1], Number(match[2]));
  return calls;
}

/** What the benchmark's own probing issues: not the bot's work. */
const PROBES = new Set([
  'info',
  'memory',
  'scan',
  'dbsize',
  'ping',
  'client|setname',
  'client|setinfo',
  'hello',
  'monitor',
]);

/** Calls per command between two readings, without the probes. */
export function callsBetween(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  const delta = new Map<string, number>();
  for (const [command, calls] of after) {
    const grown = calls - (before.get(command) ?? 0);
    if (grown > 0 && !PROBES.has(command)) delta.set(command, grown);
  }
  return delta;
}

export async function usedMemory(connection: SingleNodeConnection): Promise<number> {
  return Number(/^used_memory:(\d+)/m.exec(await connection.info('memory'))![1]);
}

export async function redisPid(connection: SingleNodeConnection): Promise<number> {
  return Number(/^process_id:(\d+)/m.exec(await connection.info('server'))![1]);
}

/**
 * Round trips per request, watched with MONITOR: every command a client (not a Lua script)
 * sent that names `marker` (the conversation's user id: background loops do not), with a
 * MULTI … EXEC block counted once since the client sends it in one write.
 */
export async function watchRoundTrips(
  monitor: SingleNodeConnection,
  markers: () => string[],
): Promise<{ stop: () => Promise<number> }> {
  let trips = 0;
  const blocks = new Map<string, boolean>(); // client → whether its open MULTI block names a marker
  const names = (line: string) => markers().some((marker) => line.includes(marker));
  await monitor.monitor((line: string) => {
    const source = /\[\d+ ([^\]]+)\]/.exec(line)?.[1] ?? '';
    if (source === 'lua') return;
    const command = /\] "([^"]+)"/.exec(line)?.[1]?.toLowerCase();
    if (command === 'multi') return void blocks.set(source, false);
    if (!blocks.has(source)) return void (names(line) && trips++);
    if (command === 'exec' || command === 'discard') {
      if (blocks.get(source)) trips++;
      blocks.delete(source);
    } else if (names(line)) blocks.set(source, true);
  });
  return {
    stop: async () => {
      monitor.destroy();
      return trips;
    },
  };
}
