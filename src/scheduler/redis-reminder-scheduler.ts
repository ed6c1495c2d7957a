import { conversationKeyOf } from '../contract/messages.js';
import { withRedis, type RedisConnection } from '../store/redis-connection.js';
import type { ReminderEntry, ReminderScheduler } from './reminder-scheduler.js';
import { ackScript, adoptOldScript, cancelScript, claimDueScript, scheduleScript } from './redis-reminder-scripts.js';

export interface RedisReminderSchedulerOptions {
  /** Key prefix (default `tsid`), shared with RedisConversationStore. */
  prefix?: string;
  /**
   * How many shards the reminders are spread over (default 16). Every instance must use
   * the same number: a conversation's reminders live in shard hash(conversationId) % shards.
   */
  shards?: number;
}

/**
 * Durable reminders on Redis sorted sets with leases (notes/tech.md §5), shared by any
 * number of instances and surviving a restart of all of them.
 *
 * Why not BullMQ: it is not a dependency, and the port needs little of it (schedule,
 * cancel, claim with a lease, ack). Retries come from the lease, duplicate suppression from
 * the runner's idempotency key and the flow's reminder-id guard, and the whole design is
 * a few short Lua scripts on the client the store already has.
 *
 * A waiting reminder is ONE member of its shard's sorted set, "<conversationId>\n<reminderId>"
 * scored by its dueAt (layout in redis-reminder-scripts.ts): a parked conversation's reminder
 * costs that member and nothing else (issue 24: no per-conversation key, no second copy).
 * Reminders are spread over a fixed number of shards, each with its own hash tag
 * `{rem:<n>}` (its own Cluster slot, so the shards spread over the masters); all reminders
 * of a conversation sit in one shard, so every script touches one slot. Claiming visits the
 * shards round-robin from a cursor of its own per instance: no scan of every node, and each
 * shard's claim is one atomic script, so an entry still goes to exactly one claimer.
 * `cancelAll` (an erasure: rare) finds a conversation's members with ZSCAN MATCH on its shard.
 *
 * Upgrades: entries of the format before (a `jobs` hash and a set per conversation) are
 * moved into the new set as they come due, at their dueAt, and cancelled in both formats;
 * entries of the format before the shards (one `{rem}` tag) are adopted as they always were.
 */
export class RedisReminderScheduler implements ReminderScheduler {
  private readonly prefix: string;
  private readonly shards: number;
  private cursor: number;

  constructor(
    private readonly redis: RedisConnection,
    options: RedisReminderSchedulerOptions = {},
  ) {
    this.prefix = options.prefix ?? 'tsid';
    this.shards = Math.max(1, Math.floor(options.shards ?? 16));
    // Instances start at different shards, so they do not all queue on the same one.
    this.cursor = Math.floor(Math.random() * this.shards);
  }

  schedule(entry: ReminderEntry): Promise<void> {
    return withRedis(this.redis, 'schedule reminder', async () => {
      const keys = this.keys(this.shardOf(entry.conversationId), 'q', 'claimed');
      await scheduleScript.run(this.redis, keys, [member(entry), entry.dueAt]);
    });
  }

  cancel(conversationId: string, reminderId: string): Promise<void> {
    return this.cancelMembers('cancel reminder', conversationId, [member({ conversationId, reminderId })], false);
  }

  cancelAll(conversationId: string): Promise<void> {
    return withRedis(this.redis, 'cancel reminders', async () => {
      const [q] = this.keys(this.shardOf(conversationId), 'q');
      const found = new Set<string>();
      const pattern = `${globEscape(conversationId)}\n*`;
      let cursor = '0';
      do {
        const page = await this.redis.zScan(q, cursor, { MATCH: pattern, COUNT: 1000 });
        for (const { value } of page.members) found.add(value);
        cursor = page.cursor;
      } while (cursor !== '0');
      await this.cancelMembers('cancel reminders', conversationId, [...found], true);
    });
  }

  claimDue(now: number, limit: number, leaseMs: number): Promise<ReminderEntry[]> {
    return withRedis(this.redis, 'claim reminders', async () => {
      const claimed: ReminderEntry[] = [];
      const start = this.cursor;
      this.cursor = (this.cursor + 1) % this.shards;
      // One pipelined look at every shard's earliest score first (both formats): an idle
      // poll costs one round trip per node, and the claim scripts run only where something is due.
      let [{ earliest, oldEarliest }, legacy] = await Promise.all([
        this.earliestPerShard(),
        this.redis.zRange(this.legacyKey('due'), 0, limit - 1),
      ]);
      if (legacy.length > 0) {
        await this.adoptLegacy(legacy);
        ({ earliest, oldEarliest } = await this.earliestPerShard());
      }
      for (let i = 0; i < this.shards && claimed.length < limit; i += 1) {
        const shard = (start + i) % this.shards;
        if (oldEarliest[shard] !== undefined && oldEarliest[shard] <= now) {
          const adopted = await adoptOldScript.run(this.redis, this.keys(shard, 'q', 'due', 'jobs'), [now, limit]);
          if ((adopted as number) > 0) earliest[shard] = Math.min(earliest[shard] ?? now, now);
        }
        if (earliest[shard] === undefined || earliest[shard] > now) continue;
        const args = [now, limit - claimed.length, leaseMs];
        const reply = (await claimDueScript.run(this.redis, this.keys(shard, 'q', 'claimed'), args)) as string[];
        for (let j = 0; j + 1 < reply.length; j += 2) claimed.push(parseEntry(reply[j], reply[j + 1]));
      }
      return claimed;
    });
  }

  ack(entry: ReminderEntry): Promise<void> {
    return withRedis(this.redis, 'ack reminder', async () => {
      const keys = this.keys(this.shardOf(entry.conversationId), 'q', 'claimed');
      await ackScript.run(this.redis, keys, [member(entry), entry.dueAt]);
    });
  }

  /** The earliest time an entry becomes claimable (its dueAt, or its lease's end once claimed). */
  nextDueAt(): Promise<number | undefined> {
    return withRedis(this.redis, 'next reminder', async () => {
      const { earliest, oldEarliest } = await this.earliestPerShard();
      const scores = [...earliest, ...oldEarliest].filter((score): score is number => score !== undefined);
      return scores.length > 0 ? Math.min(...scores) : undefined;
    });
  }

  /** How many reminders are scheduled (every shard's set, both formats): what a loss of the data would lose. */
  count(): Promise<number> {
    return withRedis(this.redis, 'count reminders', async () => {
      const keys = Array.from({ length: this.shards }, (_, shard) => [
        this.key(shard, 'q'),
        this.key(shard, 'due'),
      ]).flat();
      const sizes = await Promise.all(keys.map((key) => this.redis.zCard(key)));
      return sizes.reduce((sum, size) => sum + size, 0);
    });
  }

  /** The earliest score of each shard's set, and of its old-format set (see the class note). */
  private async earliestPerShard(): Promise<{ earliest: (number | undefined)[]; oldEarliest: (number | undefined)[] }> {
    const first = (key: string) => this.redis.zRangeWithScores(key, 0, 0).then(([entry]) => entry?.score);
    const shards = Array.from({ length: this.shards }, (_, shard) => shard);
    const [earliest, oldEarliest] = await Promise.all([
      Promise.all(shards.map((shard) => first(this.key(shard, 'q')))),
      Promise.all(shards.map((shard) => first(this.key(shard, 'due')))),
    ]);
    return { earliest, oldEarliest };
  }

  /** The shard that holds `conversationId`'s reminders (tests check the spread). */
  shardOf(conversationId: string): number {
    return fnv1a(conversationId) % this.shards;
  }

  /** Removes members of one conversation in both formats (and, with them, its old-format set). */
  private cancelMembers(what: string, conversationId: string, members: string[], all: boolean): Promise<void> {
    return withRedis(this.redis, what, async () => {
      const shard = this.shardOf(conversationId);
      const keys = [...this.keys(shard, 'q', 'claimed', 'due', 'jobs'), this.key(shard, `conv:${conversationId}`)];
      await cancelScript.run(this.redis, keys, [all ? '1' : '0', ...members]);
    });
  }

  private keys(shard: number, ...parts: string[]): string[] {
    return parts.map((part) => this.key(shard, part));
  }

  private key(shard: number, part: string): string {
    return `${this.prefix}:{rem:${shard}}:${part}`;
  }

  /** Where deploys before the shards kept every reminder: one `{rem}` tag, entries carrying their ids. */
  private legacyKey(part: string): string {
    return `${this.prefix}:{rem}:${part}`;
  }

  /**
   * Moves reminders a deploy from before the shards stored (or, during a rolling deploy, still
   * stores) into their shards, each due when it was. Moving is a replay-safe schedule, then a
   * removal from the old keys: two instances moving one entry schedule the same JSON, and a
   * reminder an old instance is running at that moment is deduplicated by its turn's idempotency key.
   */
  private async adoptLegacy(members: string[]): Promise<void> {
    for (const legacyMember of members) {
      const json = await this.redis.hGet(this.legacyKey('jobs'), legacyMember);
      const conversationId = legacyMember.slice(0, legacyMember.lastIndexOf('\n'));
      if (json) {
        const { key, reminderId, dueAt } = JSON.parse(json) as ReminderEntry;
        await this.schedule({ conversationId, key, reminderId, dueAt });
      }
      // The legacy keys in the old format's places: `q`/`claimed` there are unused and empty.
      const legacyKeys = ['q', 'claimed', 'due', 'jobs', `conv:${conversationId}`].map((part) => this.legacyKey(part));
      await cancelScript.run(this.redis, legacyKeys, ['0', legacyMember]);
    }
  }
}

function member(entry: Pick<ReminderEntry, 'conversationId' | 'reminderId'>): string {
  return `${entry.conversationId}\n${entry.reminderId}`;
}

function parseEntry(memberText: string, dueAt: string): ReminderEntry {
  const split = memberText.lastIndexOf('\n');
  const conversationId = memberText.slice(0, split);
  return {
    conversationId,
    key: conversationKeyOf(conversationId),
    reminderId: memberText.slice(split + 1),
    dueAt: Number(dueAt),
  };
}

/** A conversation id as a literal in a SCAN MATCH pattern. */
function globEscape(text: string): string {
  return text.replace(/[\\*?[\]]/g, '\\$&');
}

/** 32-bit FNV-1a: a stable, well-spread shard number without a dependency. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
