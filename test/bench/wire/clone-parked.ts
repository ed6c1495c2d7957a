import type { SingleNodeConnection } from '../../../src/store/redis-connection.js';

/**
 * Copies one parked conversation's Redis state under other user ids (same length, so every
 * copy takes the same bytes): its own keys by DUMP/RESTORE with the id renamed, and its
 * members of shared sorted sets and hashes re-added under the renamed id. Walking 10,000
 * customers over the wire would take most of the run; copying gives Redis the same data.
 */
export async function cloneParked(probe: SingleNodeConnection, template: string, copies: string[]): Promise<void> {
  const own: { key: string; dump: Buffer; ttl: number }[] = [];
  const shared: { key: string; type: string }[] = [];
  for await (const batch of probe.scanIterator({ MATCH: '*', COUNT: 1000 })) {
    for (const key of batch) {
      if (key.includes(template)) {
        const dump = await probe.withTypeMapping({ 36: Buffer }).dump(key);
        if (dump) own.push({ key, dump: dump, ttl: Math.max(0, await probe.pTTL(key)) });
      } else {
        shared.push({ key, type: await probe.type(key) });
      }
    }
  }
  const members: { key: string; type: string; entries: [string, string][] }[] = [];
  for (const { key, type } of shared) {
    if (type === 'zset') {
      const scored = await probe.zRangeWithScores(key, 0, -1);
      members.push({
        key,
        type,
        entries: scored
          .filter((entry) => entry.value.includes(template))
          .map((entry) => [entry.value, String(entry.score)]),
      });
    } else if (type === 'hash') {
      members.push({
        key,
        type,
        entries: Object.entries(await probe.hGetAll(key)).filter(([field]) => field.includes(template)),
      });
    }
  }
  for (const user of copies) {
    const rename = (text: string) => text.split(template).join(user);
    await Promise.all([
      ...own.map(({ key, dump, ttl }) => probe.restore(rename(key), ttl, dump, { REPLACE: true })),
      ...members.flatMap(({ key, type, entries }) =>
        entries.map(([member, value]) =>
          type === 'zset'
            ? probe.zAdd(key, { score: Number(value), value: rename(member) })
            : probe.hSet(key, rename(member), rename(value)),
        ),
      ),
    ]);
  }
}
