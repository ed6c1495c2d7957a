import { conversationId } from '../contract/messages.js';
import {
  PENDING_PER_LINK,
  type LinkLookup,
  type LoginLink,
  type LoginLinkStore,
  type PendingLogin,
} from './login-link-store.js';
import { RedisScript, withRedis, type RedisConnection } from '../store/redis-connection.js';

// Takes the link and leaves a "used" marker in one step, so a later callback can say
// "already used" rather than "expired". Both keys share a hash tag (Redis Cluster).
const consumeScript = new RedisScript(`local v = redis.call('GETDEL', KEYS[1])
if v then redis.call('SET', KEYS[2], '1', 'PX', ARGV[1]) end
return v`);

export interface RedisLoginLinkStoreOptions {
  /** Key prefix (default `tsid:login`); tests use one per run to share a Redis. */
  prefix?: string;
}

/**
 * Login links and pending sign-ins on Redis, shared by every instance. Every key expires on
 * its own (PX); a link is used up with an atomic GETDEL, a pending sign-in taken with GETDEL.
 * Keys: `tsid:login:{<linkId>}:link`, `…:used`, `…:revoked`, `…:states` (the link's newest
 * pending states, a list of at most PENDING_PER_LINK), `tsid:login:state:<state>` and
 * `tsid:login:current:<conversationId>` (the conversation's current link id).
 */
export class RedisLoginLinkStore implements LoginLinkStore {
  private readonly prefix: string;

  constructor(
    private readonly redis: RedisConnection,
    options: RedisLoginLinkStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? 'tsid:login';
  }

  saveLink(linkId: string, link: LoginLink, ttlMs: number): Promise<void> {
    return withRedis(this.redis, 'save login link', async () => {
      const px = { expiration: { type: 'PX', value: ms(ttlMs) } } as const;
      await this.redis.set(this.linkKey(linkId), JSON.stringify(link), px);
      const earlier = await this.redis.set(this.currentKey(link), linkId, { ...px, GET: true });
      // The earlier link goes (its key and slot are its own); a callback for it hears "not current".
      if (typeof earlier === 'string' && earlier !== linkId) {
        await this.redis.multi().del(this.linkKey(earlier)).set(this.revokedKey(earlier), '1', px).exec();
      }
    });
  }

  findLink(linkId: string): Promise<LinkLookup> {
    return withRedis(this.redis, 'find login link', async () => {
      const keys = [this.linkKey(linkId), this.usedKey(linkId), this.revokedKey(linkId)];
      const [link, used, revoked] = await this.redis.mGet(keys);
      if (link) return { status: 'valid', link: JSON.parse(link) as LoginLink };
      return used ? { status: 'used' } : revoked ? { status: 'revoked' } : { status: 'unknown' };
    });
  }

  consumeLink(linkId: string, ttlMs: number): Promise<LoginLink | undefined> {
    return withRedis(this.redis, 'consume login link', async () => {
      const reply = await consumeScript.run(this.redis, [this.linkKey(linkId), this.usedKey(linkId)], [ms(ttlMs)]);
      return typeof reply === 'string' ? (JSON.parse(reply) as LoginLink) : undefined;
    });
  }

  savePending(state: string, pending: PendingLogin, ttlMs: number): Promise<void> {
    return withRedis(this.redis, 'save pending sign-in', async () => {
      await this.redis.set(this.stateKey(state), JSON.stringify(pending), {
        expiration: { type: 'PX', value: ms(ttlMs) },
      });
      // The link's list of states (one slot): add this one, read and cut what is beyond the newest few.
      const list = this.statesKey(pending.linkId);
      const replies = await this.redis
        .multi()
        .rPush(list, state)
        .lRange(list, 0, -(PENDING_PER_LINK + 1))
        .lTrim(list, -PENDING_PER_LINK, -1)
        .pExpire(list, ms(ttlMs))
        .exec();
      const dropped = replies[1] as unknown as string[];
      for (const old of dropped) await this.redis.del(this.stateKey(old)); // one slot each
    });
  }

  takePending(state: string): Promise<PendingLogin | undefined> {
    return withRedis(this.redis, 'take pending sign-in', async () => {
      const value = await this.redis.getDel(this.stateKey(state));
      return typeof value === 'string' ? (JSON.parse(value) as PendingLogin) : undefined;
    });
  }

  private linkKey(linkId: string): string {
    return `${this.prefix}:{${linkId}}:link`;
  }

  private usedKey(linkId: string): string {
    return `${this.prefix}:{${linkId}}:used`;
  }

  private revokedKey(linkId: string): string {
    return `${this.prefix}:{${linkId}}:revoked`;
  }

  private statesKey(linkId: string): string {
    return `${this.prefix}:{${linkId}}:states`;
  }

  private currentKey(link: LoginLink): string {
    return `${this.prefix}:current:${conversationId(link.key)}`;
  }

  private stateKey(state: string): string {
    return `${this.prefix}:state:${state}`;
  }
}

/** PX takes a positive integer. */
function ms(value: number): number {
  return Math.max(1, Math.round(value));
}
