import { randomUUID } from 'node:crypto';
import { RedisScript, withRedis, type RedisConnection } from './redis-connection.js';

/** One waiting turn: what the engine's `handle` takes, as JSON, and when it was put here. */
export interface InboxEntry {
  at: number;
  /** The engine's `Inbound` without functions (key, event, idempotencyKey, reference, locale). */
  inbound: Record<string, unknown>;
}

/** A conversation this instance holds: its first waiting entry and the lease's token. */
export interface InboxClaim {
  conversationId: string;
  token: string;
  entry: InboxEntry;
}

export interface InboxStats {
  /** Entries waiting or being run. */
  entries: number;
  /** When the oldest conversation waiting to be claimed got its first entry (undefined: none waits). */
  oldestAt?: number;
}

export interface RedisOverflowInboxOptions {
  prefix?: string;
  /** Entries held at most (OVERFLOW_INBOX_MAX); past it `add` answers 'full'. */
  maxEntries: number;
}

// Every key shares the hash tag `{<prefix>:inbox}`: one slot, so each script is atomic on Cluster too.
// KEYS: ready (zset conversation → first entry's time), leased (zset conversation → lease end),
// holders (hash conversation → token), count. ARGV[1]: the conversations' list key prefix.

/** ARGV: listPrefix, conversation, entry, max → 1 added, 0 full. */
const addScript = new RedisScript(`
local n = tonumber(redis.call('GET', KEYS[4]) or '0')
if n >= tonumber(ARGV[4]) then return 0 end
local list = ARGV[1] .. ARGV[2]
redis.call('RPUSH', list, ARGV[3])
redis.call('INCR', KEYS[4])
if redis.call('LLEN', list) == 1 and not redis.call('ZSCORE', KEYS[2], ARGV[2]) then
  redis.call('ZADD', KEYS[1], 'NX', ARGV[5], ARGV[2])
end
return 1`);

/**
 * ARGV: listPrefix, now, leaseMs, count, tokenBase → flat [conversation, token, entry, …].
 * Conversations whose holder's lease ran out come first (their holder died), then the
 * longest waiting. A conversation is held whole: its entries run in order, by one holder.
 */
const claimScript = new RedisScript(`
local now, lease, n = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local picked = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, n)
if #picked < n then
  local fresh = redis.call('ZPOPMIN', KEYS[1], n - #picked)
  for i = 1, #fresh, 2 do table.insert(picked, fresh[i]) end
end
local out = {}
for i, c in ipairs(picked) do
  local head = redis.call('LINDEX', ARGV[1] .. c, 0)
  if head then
    local token = ARGV[5] .. ':' .. i
    redis.call('ZADD', KEYS[2], now + lease, c)
    redis.call('HSET', KEYS[3], c, token)
    table.insert(out, c); table.insert(out, token); table.insert(out, head)
  else
    redis.call('ZREM', KEYS[2], c); redis.call('HDEL', KEYS[3], c)
  end
end
return out`);

/** ARGV: listPrefix, conversation, token, now, leaseMs → {0} lease lost, {1} done, {1, next entry}. */
const doneScript = new RedisScript(`
if redis.call('HGET', KEYS[3], ARGV[2]) ~= ARGV[3] then return {0} end
local list = ARGV[1] .. ARGV[2]
if redis.call('LPOP', list) then redis.call('DECR', KEYS[4]) end
local head = redis.call('LINDEX', list, 0)
if head then
  redis.call('ZADD', KEYS[2], tonumber(ARGV[4]) + tonumber(ARGV[5]), ARGV[2])
  return {1, head}
end
redis.call('ZREM', KEYS[2], ARGV[2]); redis.call('HDEL', KEYS[3], ARGV[2])
return {1}`);

/** ARGV: listPrefix, conversation, token, retryAt → the holder lets go; anyone claims it again from retryAt. */
const retryScript = new RedisScript(`
if redis.call('HGET', KEYS[3], ARGV[2]) ~= ARGV[3] then return 0 end
redis.call('HDEL', KEYS[3], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[2])
return 1`);

/**
 * The overflow inbox (README "Under overload"): turns a process had no room for, written
 * durably before their request is acknowledged, and run later by whichever process has room.
 * Bounded by `maxEntries`; a conversation's entries run in order, held by one process at a
 * time under a lease, so a holder that dies mid-entry is replaced once its lease runs out
 * (the entry then runs again: its idempotency key makes that harmless).
 */
export class RedisOverflowInbox {
  private readonly keys: string[];
  private readonly listPrefix: string;
  private readonly tokenBase = randomUUID();
  private claims = 0;

  constructor(
    private readonly redis: RedisConnection,
    private readonly options: RedisOverflowInboxOptions,
  ) {
    const tag = `{${options.prefix ?? 'tsid'}:inbox}`;
    this.keys = [`${tag}:ready`, `${tag}:leased`, `${tag}:holders`, `${tag}:count`];
    this.listPrefix = `${tag}:c:`;
  }

  get maxEntries(): number {
    return this.options.maxEntries;
  }

  /** Appends a turn behind the conversation's earlier ones; 'full' past the bound (nothing written). */
  async add(conversationId: string, entry: InboxEntry): Promise<'added' | 'full'> {
    const added = await withRedis(this.redis, 'inbox add', () =>
      addScript.run(this.redis, this.keys, [
        this.listPrefix,
        conversationId,
        JSON.stringify(entry),
        this.options.maxEntries,
        entry.at,
      ]),
    );
    return Number(added) === 1 ? 'added' : 'full';
  }

  /** Whether the conversation has turns waiting here (its next turns must queue behind them). */
  async has(conversationId: string): Promise<boolean> {
    const key = this.listPrefix + conversationId;
    return (await withRedis(this.redis, 'inbox has', () => this.redis.exists(key))) > 0;
  }

  /** Takes up to `count` conversations for `leaseMs`, each with its first entry. */
  async claim(count: number, now: number, leaseMs: number): Promise<InboxClaim[]> {
    const token = `${this.tokenBase}:${this.claims++}`;
    const flat = (await withRedis(this.redis, 'inbox claim', () =>
      claimScript.run(this.redis, this.keys, [this.listPrefix, now, leaseMs, count, token]),
    )) as string[];
    const claims: InboxClaim[] = [];
    for (let i = 0; i < flat.length; i += 3)
      claims.push({ conversationId: flat[i], token: flat[i + 1], entry: JSON.parse(flat[i + 2]) as InboxEntry });
    return claims;
  }

  /**
   * The claim's first entry ran: removes it and renews the lease for the next one, which it
   * returns ('lost' when another holder took the conversation over, undefined when none is left).
   */
  async done(claim: InboxClaim, now: number, leaseMs: number): Promise<InboxEntry | undefined | 'lost'> {
    const reply = (await withRedis(this.redis, 'inbox done', () =>
      doneScript.run(this.redis, this.keys, [this.listPrefix, claim.conversationId, claim.token, now, leaseMs]),
    )) as [number, string?];
    if (Number(reply[0]) !== 1) return 'lost';
    return reply[1] === undefined ? undefined : (JSON.parse(reply[1]) as InboxEntry);
  }

  /** The claim's entry failed: let it go, to be claimed again (by anyone) from `retryAt`. */
  async retry(claim: InboxClaim, retryAt: number): Promise<void> {
    await withRedis(this.redis, 'inbox retry', () =>
      retryScript.run(this.redis, this.keys, [this.listPrefix, claim.conversationId, claim.token, retryAt]),
    );
  }

  async stats(): Promise<InboxStats> {
    const [count, oldest] = await withRedis(this.redis, 'inbox stats', () =>
      Promise.all([this.redis.get(this.keys[3]), this.redis.zRangeWithScores(this.keys[0], 0, 0)]),
    );
    return { entries: Number(count ?? 0), ...(oldest[0] ? { oldestAt: oldest[0].score } : {}) };
  }
}
