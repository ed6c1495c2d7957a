import { withRedis, type RedisConnection } from '../store/redis-connection.js';
import type { ReminderEntry, ReminderScheduler } from './reminder-scheduler.js';
import { ackScript, cancelAllScript, cancelScript, claimDueScript, scheduleScript } from './redis-reminder-scripts.js';

export interface RedisReminderSchedulerOptions {
  /** Key prefix (default `tsid`), shared with RedisConversationStore. */
  prefix?: string;
}

/**
 * Durable reminders on a Redis sorted set with leases (notes/tech.md §5), shared by any
 * number of instances and surviving a restart of all of them.
 *
 * Why not BullMQ: it is not a dependency, and the port needs little of it (schedule,
 * cancel, claim with a lease, ack). Retries come from the lease, duplicate suppression from
 * the runner's idempotency key and the flow's reminder-id guard, and the whole design is
 * five short Lua scripts on the client the store already has.
 *
 * All keys share the hash tag `{rem}` (one Cluster slot), so claiming across the due set
 * and the entry hash is one atomic script; reminder volume is bounded by the customers
 * waiting for an e-mail, which one slot holds easily.
 */
export class RedisReminderScheduler implements ReminderScheduler {
  private readonly prefix: string;

  constructor(
    private readonly redis: RedisConnection,
    options: RedisReminderSchedulerOptions = {},
  ) {
    this.prefix = options.prefix ?? 'tsid';
  }

  schedule(entry: ReminderEntry): Promise<void> {
    // Fixed field order: a replay must produce the very same JSON to count as "already there".
    const key = { channel: entry.key.channel, tenant: entry.key.tenant, user: entry.key.user };
    const json = JSON.stringify({ conversationId: entry.conversationId, key, reminderId: entry.reminderId, dueAt: entry.dueAt });
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
      const keys = [this.key('due'), this.key('jobs')];
      const claimed = (await claimDueScript.run(this.redis, keys, [now, limit, leaseMs])) as string[];
      return claimed.map((json) => JSON.parse(json) as ReminderEntry);
    });
  }

  ack(entry: ReminderEntry): Promise<void> {
    return this.run('ack reminder', ackScript, entry.conversationId, [member(entry), entry.dueAt]);
  }

  /** The earliest time an entry becomes claimable (its dueAt, or its lease's end once claimed). */
  nextDueAt(): Promise<number | undefined> {
    return withRedis(this.redis, 'next reminder', async () => {
      const [first] = await this.redis.zRangeWithScores(this.key('due'), 0, 0);
      return first?.score;
    });
  }

  private run(what: string, script: typeof scheduleScript, conversationId: string, args: (string | number)[]) {
    return withRedis(this.redis, what, async () => {
      const keys = [this.key('due'), this.key('jobs'), this.key(`conv:${conversationId}`)];
      await script.run(this.redis, keys, args);
    });
  }

  private key(part: string): string {
    return `${this.prefix}:{rem}:${part}`;
  }
}

function member(entry: Pick<ReminderEntry, 'conversationId' | 'reminderId'>): string {
  return `${entry.conversationId}\n${entry.reminderId}`;
}
