import { createHash } from 'node:crypto';
import { conversationId } from '../contract/messages.js';
import {
  DEAD_LETTERS_PER_CONVERSATION,
  deadLetterId,
  parseDeadLetterId,
  type ConversationRecord,
  type ConversationStore,
  type DeadLetter,
  type OutboxItem,
  type SaveOptions,
  type SaveOutcome,
  type TurnStart,
} from './conversation-store.js';
import { isCluster, pingRedis, waitForReplica, withRedis, type RedisConnection } from './redis-connection.js';
import {
  ackScript,
  claimScript,
  deadLetterScript,
  markScript,
  replayScript,
  saveScript,
  unmarkScript,
} from './redis-conversation-scripts.js';

export interface RedisConversationStoreOptions {
  /** Key prefix (default `tsid`); tests use one per run to share a Redis. */
  prefix?: string;
  /** Retention of a conversation's keys, refreshed on every saved turn (Config.dataRetentionMs). */
  retentionMs: number;
  /** Shortest time a saved delivery key is remembered, whatever the caller asks (default 10 minutes: see DELIVERY_MARKS). */
  minIdempotencyTtlMs?: number;
  /**
   * How old an index entry must be before an empty outbox takes it out of the index
   * (default 10 s): longer than any gap between a mark and its save, and than clock skew.
   */
  indexGraceMs?: number;
  /**
   * Cluster / Sentinel: after a saved turn, WAIT up to this long for a replica to have it
   * (default 0: do not wait). Best effort: with no replica in reach the turn is still
   * acknowledged after the wait, so a failover without replicas does not stop the bot.
   */
  replicaWaitMs?: number;
}

/**
 * The conversation store on Redis (single node or Cluster).
 *
 * Keys of one conversation share the hash tag `{<conversationId>}` (`tsid:{slack:T1:U1}:rec`,
 * `:outbox`, `:lease`; `:seen` of the format before), so the compare-and-set of the record
 * (its delivery marks inside), the append to its outbox and the note of the inbound delivery
 * run in ONE Lua script: a crash can never keep one without the others. Loading a turn is one GET.
 *
 * The sweeper's index of conversations with outbox work (`tsid:outbox-pending`, a sorted
 * set) lives in another slot. On one node or Sentinel the save and ack scripts write it
 * too; on Cluster a script may not, so the mark is its own command, sent before the save on
 * the same connection (a failed save leaves a harmless extra entry), and the removal after
 * the ack. The ack of what a save leased removes that save's entry if its score is unchanged;
 * `conversationsWithOutbox` removes any other entry once it sees the outbox empty, but only
 * if the entry is older than `indexGraceMs` and its score did not change since it was read
 * (every mark changes it), so a conversation with work is not dropped.
 *
 * Dead letters (README "Dead letters") stay with their conversation, `tsid:{<id>}:dead`
 * (newest first, at most 100, the conversation's retention), so moving an item there from
 * the outbox is one script, and erasing the conversation erases them: they hold what the
 * customer wrote. Operators find them through `tsid:dead-letters`, a sorted set of
 * conversation ids only (the newest 1,000), written like the outbox index.
 */
export class RedisConversationStore implements ConversationStore {
  private readonly prefix: string;
  private readonly retentionMs: number;
  private readonly minIdempotencyTtlMs: number;
  private readonly indexGraceMs: number;
  private readonly replicaWaitMs: number;
  private readonly leasedMarks = new LeasedMarks();
  /** On Cluster the index is in another slot than the conversation: written beside its scripts, not in them. */
  private readonly clustered: boolean;

  constructor(
    private readonly redis: RedisConnection,
    options: RedisConversationStoreOptions,
  ) {
    this.prefix = options.prefix ?? 'tsid';
    this.retentionMs = options.retentionMs;
    this.minIdempotencyTtlMs = options.minIdempotencyTtlMs ?? 600_000;
    this.indexGraceMs = options.indexGraceMs ?? 10_000;
    this.replicaWaitMs = options.replicaWaitMs ?? 0;
    this.clustered = isCluster(redis);
  }

  load(id: string): Promise<ConversationRecord | undefined> {
    return withRedis(this.redis, 'load', async () => parseStored(await this.redis.get(this.key(id, 'rec')))?.record);
  }

  /**
   * One GET: the delivery marks travel in the record. Only a record last saved by the format
   * before (no marks in it) needs a look at its old `seen` set.
   */
  loadTurn(id: string, deliveryKey?: string): Promise<TurnStart> {
    return withRedis(this.redis, 'load', async () => {
      const stored = parseStored(await this.redis.get(this.key(id, 'rec')));
      if (deliveryKey === undefined || !stored) return { record: stored?.record, seen: false };
      const digest = deliveryDigest(deliveryKey);
      if (stored.marks === undefined) {
        const until = await this.redis.zScore(this.key(id, 'seen'), digest);
        return { record: stored.record, seen: until !== null && until > Date.now() };
      }
      const now = Date.now();
      const seen = stored.marks.some((mark) => mark.digest === digest.slice(0, 12) && mark.until > now);
      return { record: stored.record, seen };
    });
  }

  save(
    record: ConversationRecord,
    expectedRevision: number,
    outbox: OutboxItem[],
    options: SaveOptions = {},
  ): Promise<SaveOutcome> {
    const { delivery, leaseMs } = options;
    const id = conversationId(record.key);
    return withRedis(this.redis, 'save', async () => {
      const items = outbox.map((item) => `${item.id}\n${JSON.stringify(item)}`);
      const keys = [this.key(id, 'rec'), this.key(id, 'outbox'), this.key(id, 'lease'), this.key(id, 'seen')];
      const now = Date.now();
      const markScore = outbox.length > 0 ? uniqueScore() : undefined;
      const forgetAt = delivery ? now + Math.max(delivery.ttlMs, this.minIdempotencyTtlMs) : 0;
      const args = [
        expectedRevision,
        record.revision,
        JSON.stringify(record),
        this.retentionMs,
        delivery ? deliveryDigest(delivery.key).slice(0, 12) : '',
        forgetAt.toString(36),
        now,
        leaseMs ?? '',
        markScore ?? '',
        id,
        ...items,
      ];
      // On Cluster both go out in one round trip and only the save decides the outcome (see the class note).
      const [, saved] = await Promise.allSettled([
        this.clustered && markScore !== undefined
          ? this.redis.zAdd(this.indexKey(), { score: markScore, value: id })
          : undefined,
        saveScript.run(this.redis, this.clustered ? keys : [...keys, this.indexKey()], args),
      ]);
      if (saved.status === 'rejected') throw saved.reason;
      const outcome = SAVE_OUTCOMES[saved.value as number];
      if (outcome === 'leased') this.leasedMarks.note(id, markScore!, outbox);
      if ((outcome === 'saved' || outcome === 'leased') && this.replicaWaitMs > 0)
        await waitForReplica(this.redis, keys[0], this.replicaWaitMs);
      return outcome;
    });
  }

  pendingOutbox(id: string): Promise<OutboxItem[]> {
    return withRedis(this.redis, 'read outbox', async () => {
      const entries = await this.redis.lRange(this.key(id, 'outbox'), 0, -1);
      return entries.map((entry) => JSON.parse(entry.slice(entry.indexOf('\n') + 1)) as OutboxItem);
    });
  }

  claimOutboxItem(id: string, itemId: string, leaseMs: number): Promise<boolean> {
    return withRedis(this.redis, 'claim outbox item', async () => {
      const keys = [this.key(id, 'outbox'), this.key(id, 'lease')];
      return (await claimScript.run(this.redis, keys, [itemId, leaseMs, this.retentionMs])) === 1;
    });
  }

  /** Only a sender whose ack failed renews: the index entry its ack may have taken is put back with it. */
  renewOutboxLease(id: string, itemId: string, leaseMs: number): Promise<boolean> {
    return withRedis(this.redis, 'renew outbox lease', async () => {
      const keys = [this.key(id, 'outbox'), this.key(id, 'lease')];
      const [, renewed] = await Promise.all([
        this.mark(id),
        claimScript.run(this.redis, keys, [itemId, leaseMs, this.retentionMs, 1]),
      ]);
      return renewed === 1;
    });
  }

  releaseOutboxItems(id: string, itemIds: string[]): Promise<void> {
    this.leasedMarks.forget(id);
    return withRedis(this.redis, 'release outbox items', async () => {
      if (itemIds.length > 0) await this.redis.hDel(this.key(id, 'lease'), itemIds);
    });
  }

  /**
   * When the acknowledged items are all a save leased to this instance, the sweeper index
   * entry that save made goes in the same round trip, if nobody marked it since (the score
   * is that save's): a later turn's items keep their own, newer mark. The removal is sent
   * after the ack; should it land and the ack not (a Cluster node lost in between), the
   * sender's ack retries renew the lease and put the entry back (renewOutboxLease).
   */
  ackOutboxItems(id: string, itemIds: string[]): Promise<number> {
    const markScore = this.leasedMarks.take(id, itemIds);
    return withRedis(this.redis, 'ack outbox items', async () => {
      const keys = [this.key(id, 'outbox'), this.key(id, 'lease')];
      if (!this.clustered)
        return (await ackScript.run(
          this.redis,
          [...keys, this.indexKey()],
          [markScore ?? '', id, ...itemIds],
        )) as number;
      const [left] = await Promise.all([
        ackScript.run(this.redis, keys, ['', id, ...itemIds]),
        markScore !== undefined ? unmarkScript.run(this.redis, [this.indexKey()], [id, markScore]) : undefined,
      ]);
      return left as number;
    });
  }

  deadLetter(
    id: string,
    itemId: string,
    why: Pick<DeadLetter, 'code' | 'reason' | 'at'>,
    notice?: OutboxItem,
  ): Promise<boolean> {
    return withRedis(this.redis, 'dead-letter', async () => {
      const item = (await this.pendingOutbox(id)).find((pending) => pending.id === itemId);
      if (!item) return false;
      await markScript.run(this.redis, [this.deadIndexKey()], [why.at, id]);
      await this.redis.zRemRangeByRank(this.deadIndexKey(), 0, -(MAX_INDEXED_DEAD + 1));
      const letter = `${JSON.stringify(why)}\n${JSON.stringify(item)}`;
      const noticeEntry = notice ? `${notice.id}\n${JSON.stringify(notice)}` : '';
      const keys = [this.key(id, 'outbox'), this.key(id, 'lease'), this.key(id, 'dead')];
      const args = [itemId, letter, this.retentionMs, DEAD_LETTERS_PER_CONVERSATION, noticeEntry];
      return (await deadLetterScript.run(this.redis, keys, args)) === 1;
    });
  }

  deadLetters(limit: number): Promise<DeadLetter[]> {
    return withRedis(this.redis, 'list dead letters', async () => {
      const indexed = await this.redis.zRangeWithScores(this.deadIndexKey(), 0, limit - 1, { REV: true });
      const lists = await Promise.all(indexed.map(({ value }) => this.redis.lRange(this.key(value, 'dead'), 0, -1)));
      // A conversation erased or past its retention has no letters left: its index entry goes (unless re-marked).
      const gone = indexed.filter((_, index) => lists[index].length === 0);
      await Promise.all(
        gone.map(({ value, score }) => unmarkScript.run(this.redis, [this.deadIndexKey()], [value, score])),
      );
      const letters = indexed.flatMap(({ value }, index) => lists[index].map((entry) => parseDeadLetter(value, entry)));
      return letters.sort((a, b) => b.at - a.at).slice(0, limit);
    });
  }

  replayDeadLetter(letterId: string): Promise<boolean> {
    const parsed = parseDeadLetterId(letterId);
    if (!parsed) return Promise.resolve(false);
    const { conversationId: id, itemId } = parsed;
    return withRedis(this.redis, 'replay dead letter', async () => {
      await this.mark(id); // before the move, like a save: the sweeper finds the item
      const keys = [this.key(id, 'dead'), this.key(id, 'outbox')];
      return (await replayScript.run(this.redis, keys, [itemId, this.retentionMs])) === 1;
    });
  }

  /** Oldest-marked first; each returned id is re-marked, so a stuck one moves to the back. */
  conversationsWithOutbox(limit: number): Promise<string[]> {
    return withRedis(this.redis, 'list outbox', async () => {
      const marked = await this.redis.zRangeWithScores(this.indexKey(), 0, limit - 1);
      const lengths = await Promise.all(marked.map(({ value }) => this.redis.lLen(this.key(value, 'outbox'))));
      const settled = Date.now() - this.indexGraceMs;
      const pending: string[] = [];
      await Promise.all(
        marked.map(async ({ value, score }, index) => {
          if (lengths[index] === 0) {
            if (score < settled) await unmarkScript.run(this.redis, [this.indexKey()], [value, score]);
          } else {
            pending.push(value);
            await this.mark(value);
          }
        }),
      );
      return marked.map(({ value }) => value).filter((value) => pending.includes(value));
    });
  }

  erase(id: string): Promise<void> {
    return withRedis(this.redis, 'erase', async () => {
      // One DEL: the keys share a slot. The index entry goes at the next sweep.
      await this.redis.del(this.keysOf(id));
    });
  }

  ping(): Promise<void> {
    return withRedis(this.redis, 'ping', () => pingRedis(this.redis));
  }

  /** Every key this store writes for a conversation (benchmarks, erasure checks). */
  keysOf(id: string): string[] {
    return [
      this.key(id, 'rec'),
      this.key(id, 'outbox'),
      this.key(id, 'lease'),
      this.key(id, 'seen'),
      this.key(id, 'dead'),
    ];
  }

  /** One ZADD: a score of its own (see uniqueScore) tells this mark from any later one. */
  private mark(id: string): Promise<unknown> {
    return this.redis.zAdd(this.indexKey(), { score: uniqueScore(), value: id });
  }

  // Conversation ids start with the channel name, so the hash tag is never empty.
  private key(id: string, part: 'rec' | 'outbox' | 'lease' | 'seen' | 'dead'): string {
    return `${this.prefix}:{${id}}:${part}`;
  }

  private indexKey(): string {
    return `${this.prefix}:outbox-pending`;
  }

  private deadIndexKey(): string {
    return `${this.prefix}:dead-letters`;
  }
}

/** How many conversations the dead-letter index keeps (the newest). */
const MAX_INDEXED_DEAD = 1000;

/** A dead list entry, "<item id>\n<letter JSON>\n<item JSON>", as a DeadLetter. */
function parseDeadLetter(conversationId: string, entry: string): DeadLetter {
  const [itemId, why, item] = entry.split('\n');
  const { code, reason, at } = JSON.parse(why) as Pick<DeadLetter, 'code' | 'reason' | 'at'>;
  return {
    id: deadLetterId(conversationId, itemId),
    conversationId,
    item: JSON.parse(item) as OutboxItem,
    code,
    reason,
    at,
  };
}

/** The save script's answers, by number. */
const SAVE_OUTCOMES: Record<number, SaveOutcome> = { 0: 'conflict', 1: 'saved', 2: 'seen', 3: 'leased' };

/**
 * A delivery key as the `seen` set of the format before keeps it: a fixed 16-character digest,
 * since Teams keys carry a whole conversation id (well over 100 characters). The record's
 * marks keep its first 12 characters (72 bits: ample among a conversation's 4 newest).
 */
function deliveryDigest(deliveryKey: string | undefined): string {
  return deliveryKey === undefined ? '' : createHash('sha256').update(deliveryKey).digest('base64url').slice(0, 16);
}

/**
 * A mark's score: now, plus a random fraction so that two marks of one conversation never
 * share a score (the sweeper and the ack remove an entry only if its score is the one they saw).
 */
function uniqueScore(): number {
  return Date.now() + Math.random() * 0.999;
}

interface Mark {
  digest: string;
  until: number;
}

/** "<revision>|<record JSON>" as the record and its delivery marks (undefined: saved by the format before, no marks in it). */
function parseStored(stored: string | null | undefined): { record: ConversationRecord; marks?: Mark[] } | undefined {
  if (stored === null || stored === undefined) return undefined;
  const { d, ...record } = JSON.parse(stored.slice(stored.indexOf('|') + 1)) as ConversationRecord & { d?: string };
  if (d === undefined) return { record };
  const marks = d
    .split(' ')
    .filter(Boolean)
    .map((mark) => ({
      digest: mark.slice(0, mark.indexOf('.')),
      until: parseInt(mark.slice(mark.indexOf('.') + 1), 36),
    }));
  return { record, marks };
}

/**
 * The index scores of saves that leased their new items to this instance, by conversation,
 * until those items are acknowledged (or released). Bounded: past 10,000 the oldest go, and
 * their entries are left to the sweeper.
 */
class LeasedMarks {
  private readonly byConversation = new Map<string, { score: number; itemIds: string[] }>();

  note(id: string, score: number, items: OutboxItem[]): void {
    this.byConversation.delete(id);
    this.byConversation.set(id, { score, itemIds: items.map((item) => item.id) });
    if (this.byConversation.size > 10_000) this.byConversation.delete(this.byConversation.keys().next().value!);
  }

  /** The score, when `ackedIds` are all the leased items (then forgotten); undefined otherwise. */
  take(id: string, ackedIds: string[]): number | undefined {
    const leased = this.byConversation.get(id);
    if (!leased || !leased.itemIds.every((itemId) => ackedIds.includes(itemId))) return undefined;
    this.byConversation.delete(id);
    return leased.score;
  }

  forget(id: string): void {
    this.byConversation.delete(id);
  }
}
