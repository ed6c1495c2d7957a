import type { HandoffAgent, HandoffRecord, HandoffStore, NewHandoff, OpenResult, TakeResult } from './handoff-store.js';
import type { HelpdeskPost } from './helpdesk-port.js';
import { RedisScript, withRedis, type RedisConnection } from '../store/redis-connection.js';

// Creates the record unless it exists and claims the right to post it, in one step.
// KEYS: record hash, conversation's current pointer. ARGV: record JSON, now, lease end, ttl, request id.
const openScript = new RedisScript(`if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], 'data', ARGV[1], 'state', 'open', 'claim', '0')
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('SET', KEYS[2], ARGV[5], 'PX', ARGV[4])
if redis.call('HEXISTS', KEYS[1], 'post') == 1 then return 'posted' end
if tonumber(redis.call('HGET', KEYS[1], 'claim') or '0') > tonumber(ARGV[2]) then return 'busy' end
redis.call('HSET', KEYS[1], 'claim', ARGV[3])
return 'post'`);

// Two agents at once: the first HSET wins, the second reads the owner. ARGV: agent JSON.
const takeScript = new RedisScript(`local state = redis.call('HGET', KEYS[1], 'state')
if not state then return {'missing'} end
local owner = redis.call('HGET', KEYS[1], 'owner')
if owner then return {'owned', owner} end
if state ~= 'open' then return {'finished'} end
redis.call('HSET', KEYS[1], 'owner', ARGV[1])
return {'taken'}`);

const releaseScript =
  new RedisScript(`if redis.call('HGET', KEYS[1], 'owner') == ARGV[1] then redis.call('HDEL', KEYS[1], 'owner') end
return 1`);

export interface RedisHandoffStoreOptions {
  /** Key prefix (default `tsid:handoff`); tests use one per run to share a Redis. */
  prefix?: string;
  /** How long a hand-off is kept (default 30 days: DATA_RETENTION). */
  retentionMs?: number;
  now?: () => number;
}

/**
 * Hand-offs on Redis, shared by every instance. One hash per hand-off
 * (`<prefix>:{<conversationId>}:<requestId>`: data, state, claim, owner, post, outcome),
 * plus pointers from a thread and from the conversation (`…:current`) to it. Opening and taking are Lua scripts (atomic).
 */
export class RedisHandoffStore implements HandoffStore {
  private readonly prefix: string;
  private readonly retentionMs: number;
  private readonly now: () => number;

  constructor(
    private readonly redis: RedisConnection,
    options: RedisHandoffStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? 'tsid:handoff';
    this.retentionMs = Math.max(1, Math.round(options.retentionMs ?? 30 * 86_400_000));
    this.now = options.now ?? Date.now;
  }

  open(record: NewHandoff, leaseMs: number): Promise<OpenResult> {
    return withRedis(this.redis, 'open hand-off', async () => {
      const now = this.now();
      const args = [JSON.stringify(record), now, now + Math.max(1, leaseMs), this.retentionMs, record.requestId];
      return (await openScript.run(
        this.redis,
        [this.key(record.requestId), this.currentKey(record.conversationId)],
        args,
      )) as OpenResult;
    });
  }

  attachPost(requestId: string, post: HelpdeskPost): Promise<void> {
    return withRedis(this.redis, 'attach hand-off post', async () => {
      // Two slots on Cluster, so two commands: the thread pointer first, so a post is never
      // attached without a way back from its thread (a retry writes both again).
      await this.redis.set(this.threadKey(post.thread), requestId, {
        expiration: { type: 'PX', value: this.retentionMs },
      });
      await this.redis.hSet(this.key(requestId), { post: JSON.stringify(post), claim: '0' });
    });
  }

  releaseClaim(requestId: string): Promise<void> {
    return withRedis(this.redis, 'release hand-off claim', async () => {
      await this.redis.hSet(this.key(requestId), 'claim', '0');
    });
  }

  get(requestId: string): Promise<HandoffRecord | undefined> {
    return withRedis(this.redis, 'load hand-off', () => this.read(requestId));
  }

  byThread(thread: string): Promise<HandoffRecord | undefined> {
    return withRedis(this.redis, 'find hand-off by thread', async () => {
      const id = await this.redis.get(this.threadKey(thread));
      return id ? this.read(id) : undefined;
    });
  }

  current(conversationId: string): Promise<HandoffRecord | undefined> {
    return withRedis(this.redis, 'find current hand-off', async () => {
      const id = await this.redis.get(this.currentKey(conversationId));
      return id ? this.read(id) : undefined;
    });
  }

  take(requestId: string, agent: HandoffAgent): Promise<TakeResult> {
    return withRedis(this.redis, 'take hand-off', async () => {
      const [outcome, owner] = (await takeScript.run(
        this.redis,
        [this.key(requestId)],
        [JSON.stringify(agent)],
      )) as string[];
      if (outcome === 'owned') return { outcome, owner: JSON.parse(owner) as HandoffAgent };
      return { outcome: outcome as 'taken' | 'finished' | 'missing' };
    });
  }

  release(requestId: string, agent: HandoffAgent): Promise<void> {
    return withRedis(this.redis, 'release hand-off', async () => {
      await releaseScript.run(this.redis, [this.key(requestId)], [JSON.stringify(agent)]);
    });
  }

  finish(requestId: string, state: 'resumed' | 'closed', outcome: { by: string; step?: string }): Promise<void> {
    return withRedis(this.redis, 'finish hand-off', async () => {
      await this.redis.hSet(this.key(requestId), { state, outcome: JSON.stringify(outcome) });
    });
  }

  private async read(requestId: string): Promise<HandoffRecord | undefined> {
    const hash = await this.redis.hGetAll(this.key(requestId));
    if (!hash.data) return undefined;
    const record = JSON.parse(hash.data) as HandoffRecord;
    record.state = hash.state as HandoffRecord['state'];
    if (hash.owner) record.owner = JSON.parse(hash.owner) as HandoffAgent;
    if (hash.post) record.post = JSON.parse(hash.post) as HelpdeskPost;
    if (hash.outcome) record.outcome = JSON.parse(hash.outcome) as HandoffRecord['outcome'];
    return record;
  }

  /** Request ids start with their conversation id: both keys of a conversation share a hash tag (Redis Cluster). */
  private key(requestId: string): string {
    return `${this.prefix}:{${requestId.split('#')[0]}}:${requestId}`;
  }

  private threadKey(thread: string): string {
    return `${this.prefix}:thread:${thread}`;
  }

  private currentKey(conversationId: string): string {
    return `${this.prefix}:{${conversationId}}:current`;
  }
}
