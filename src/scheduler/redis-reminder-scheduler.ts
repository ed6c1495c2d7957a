import { withRedis, type RedisConnection } from '../store/redis-connection.js';
import type { ReminderEntry, ReminderScheduler } from './reminder-scheduler.js';
import { ackScript, cancelAllScript, cancelScript, claimDueScript, scheduleScript } from './redis-reminder-scripts.js';

export interface RedisReminderSchedulerOptions {
  /** Key prefix (default `tsid`), shared with RedisConversationStore. */
  prefix?: string;
  /**
   * How many due-sets the reminders are spread over (default 16). Every instance must use
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
 * five short Lua scripts on the client the store already has.
 *
 * Reminders are spread over a fixed number of shards, each with its own hash tag
 * `{rem:<n>}` (its own Cluster slot, so the shards spread over the masters). A shard holds
 * a due set, an entry hash and one set per conversation; all reminders of a conversation
 * sit in one shard, so every script touches one slot. Claiming visits the shards
 * round-robin from a cursor of its own per instance: no scan of every node, and each
 * shard's claim is one atomic script, so an entry still goes to exactly one claimer.
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
    // The member already carries conversationId and reminderId: the stored JSON holds only
    // the rest, in a fixed field order (a replay must produce the very same JSON to count as "already there").
    const key = { channel: entry.key.channel, tenant: entry.key.tenant, user: entry.key.user };
    const json = JSON.stringify({ key, dueAt: entry.dueAt });
    return this.run('schedule reminder', scheduleScript, entry.conversationId, [member(entry), json, entry.dueAt]);
  }

  cancel(conversationId: string, reminderId: string): Promise<void> {
    return this.run('cancel reminder', cancelScript, conversationId, [member({ conversationId, reminderId })]);
  }

  cancelAll(conversationId: string): Promise<void> {
    return this.run('cancel reminders', cancelAllScript, conversationId, []);
  }

  claimDue(now: number, limit: number, leaseMs: number): Promise<ReminderEntry[]> {
    return withRedis(this.redis, 'claim reminders', async () => {
      const claimed: ReminderEntry[] = [];
      const start = this.cursor;
      this.cursor = (this.cursor + 1) % this.shards;
      // One pipelined look at every shard's earliest score first: an idle poll costs one
      // round trip per node, and the claim scripts run only where something is due.
      let [earliest, legacy] = await Promise.all([
        this.earliestPerShard(),
        this.redis.zRange(this.legacyKey('due'), 0, limit - 1),
      ]);
      if (legacy.length > 0) {
        await this.adoptLegacy(legacy);
        earliest = await this.earliestPerShard();
      }
      for (let i = 0; i < this.shards && claimed.length < limit; i += 1) {
        const shard = (start + i) % this.shards;
        if (earliest[shard] === undefined || earliest[shard] > now) continue;
        const keys = [this.key(shard, 'due'), this.key(shard, 'jobs')];
        const reply = (await claimDueScript.run(this.redis, keys, [now, limit - claimed.length, leaseMs])) as string[];
        for (let j = 0; j + 1 < reply.length; j += 2) claimed.push(parseEntry(reply[j], reply[j + 1]));
      }
      return claimed;
    });
  }

  ack(entry: ReminderEntry): Promise<void> {
    return this.run('ack reminder', ackScript, entry.conversationId, [member(entry), entry.dueAt]);
  }

  /** The earliest time an entry becomes claimable (its dueAt, or its lease's end once claimed). */
  nextDueAt(): Promise<number | undefined> {
    return withRedis(this.redis, 'next reminder', async () => {
      const scores = (await this.earliestPerShard()).filter((score): score is number => score !== undefined);
      return scores.length > 0 ? Math.min(...scores) : undefined;
    });
  }

  /** How many reminders are scheduled (every shard's due set): what a loss of the data would lose. */
  count(): Promise<number> {
    return withRedis(this.redis, 'count reminders', async () => {
      const sizes = await Promise.all(
        Array.from({ length: this.shards }, (_, shard) => this.redis.zCard(this.key(shard, 'due'))),
      );
      return sizes.reduce((sum, size) => sum + size, 0);
    });
  }

  private async earliestPerShard(): Promise<(number | undefined)[]> {
    const firsts = await Promise.all(
      Array.from({ length: this.shards }, (_, shard) => this.redis.zRangeWithScores(this.key(shard, 'due'), 0, 0)),
    );
    return firsts.map(([first]) => first?.score);
  }

  /** The shard that holds `conversationId`'s reminders (tests check the spread). */
  shardOf(conversationId: string): number {
    return fnv1a(conversationId) % this.shards;
  }

  private run(what: string, script: typeof scheduleScript, conversationId: string, args: (string | number)[]) {
    return withRedis(this.redis, what, async () => {
      const shard = this.shardOf(conversationId);
      const keys = [this.key(shard, 'due'), this.key(shard, 'jobs'), this.key(shard, `conv:${conversationId}`)];
      await script.run(this.redis, keys, args);
    });
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
      const legacyKeys = [this.legacyKey('due'), this.legacyKey('jobs'), this.legacyKey(`conv:${conversationId}`)];
      await cancelScript.run(this.redis, legacyKeys, [legacyMember]);
    }
  }
}

function member(entry: Pick<ReminderEntry, 'conversationId' | 'reminderId'>): string {
  return `${entry.conversationId}\n${entry.reminderId}`;
}

function parseEntry(memberText: string, json: string): ReminderEntry {
  const split = memberText.lastIndexOf('\n');
  const { key, dueAt } = JSON.parse(json) as Pick<ReminderEntry, 'key' | 'dueAt'>;
  return { conversationId: memberText.slice(0, split), key, reminderId: memberText.slice(split + 1), dueAt };
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
