import type {
  CampaignCustomer,
  CampaignInfo,
  CampaignStore,
  Claim,
  CustomerOutcome,
  CustomerProgress,
  PlatformIntervals,
} from './campaign.js';
import { withRedis, type RedisConnection } from '../store/redis-connection.js';
import { claimScript, completeScript, releaseScript, setStateScript } from './redis-campaign-scripts.js';

export interface RedisCampaignStoreOptions {
  /** Key prefix (default `tsid`); tests use one per run. */
  prefix?: string;
  /** Campaign keys expire this long after the campaign's last change (Config.dataRetentionMs). */
  retentionMs: number;
}

const BATCH = 500;

/**
 * Campaigns on Redis. Every key has the hash tag `{campaigns}`: one slot, so the claim
 * script can take the pace and a customer at once (Cluster-safe). Campaigns are small
 * control data next to conversations, so one slot is no hot spot.
 *
 * Per campaign `c:<name>:`: `meta` (hash), `queue` (ids not yet claimed), `cust` (id →
 * customer JSON), `lease` (claimed ids by lease end), `tries`, `attempted`, `out` (id →
 * outcome JSON), `reached`/`last`/`flags` (progress). Shared: `names` (by creation),
 * `member:<conversation id>` (the campaign that started it), `pace:<campaign|platform>`.
 */
export class RedisCampaignStore implements CampaignStore {
  private readonly prefix: string;

  constructor(
    private readonly redis: RedisConnection,
    private readonly options: RedisCampaignStoreOptions,
  ) {
    this.prefix = `${options.prefix ?? 'tsid'}:{campaigns}`;
  }

  create(info: CampaignInfo, customers: CampaignCustomer[]): Promise<'created' | 'exists'> {
    return withRedis(this.redis, 'create campaign', async () => {
      const meta = this.key(info.name, 'meta');
      // Loading first: no instance claims from a half-written queue.
      const fields = { ...flatten(info), state: 'loading' };
      if (!(await this.redis.hSetNX(meta, 'name', info.name))) return 'exists';
      await this.redis.hSet(meta, fields);
      for (let i = 0; i < customers.length; i += BATCH) {
        const batch = customers.slice(i, i + BATCH);
        await this.redis
          .multi()
          .rPush(
            this.key(info.name, 'queue'),
            batch.map((c) => c.id),
          )
          .hSet(this.key(info.name, 'cust'), Object.fromEntries(batch.map((c) => [c.id, JSON.stringify(c)])))
          .exec();
      }
      await this.redis
        .multi()
        .hSet(meta, 'state', info.state)
        .zAdd(this.names(), { score: info.createdAt, value: info.name })
        .exec();
      await this.touch(info.name);
      return 'created';
    });
  }

  get(name: string): Promise<CampaignInfo | undefined> {
    return withRedis(this.redis, 'read campaign', async () => {
      const meta = await this.redis.hGetAll(this.key(name, 'meta'));
      if (!meta.name || meta.state === 'loading') return undefined;
      return {
        name: meta.name,
        state: meta.state as CampaignInfo['state'],
        ratePerMinute: Number(meta.ratePerMinute),
        platforms: (meta.platforms ?? '').split(',').filter(Boolean) as CampaignInfo['platforms'],
        createdAt: Number(meta.createdAt),
        createdBy: meta.createdBy ?? '',
        total: Number(meta.total),
      };
    });
  }

  list(): Promise<string[]> {
    return withRedis(this.redis, 'list campaigns', () => this.redis.zRange(this.names(), 0, -1, { REV: true }));
  }

  setState(name: string, state: 'running' | 'paused' | 'stopped'): Promise<boolean> {
    return withRedis(
      this.redis,
      'change campaign',
      async () => (await setStateScript.run(this.redis, [this.key(name, 'meta')], [state])) === 1,
    );
  }

  claim(name: string, leaseMs: number, intervals: PlatformIntervals): Promise<Claim> {
    return withRedis(this.redis, 'claim campaign customer', async () => {
      const keys = [
        ...['meta', 'queue', 'lease', 'cust', 'tries'].map((part) => this.key(name, part)),
        this.pace(`campaign:${name}`),
        this.pace('slack'),
        this.pace('teams'),
      ];
      const info = await this.get(name);
      const interval = info ? Math.ceil(60_000 / Math.max(info.ratePerMinute, 1e-6)) : 60_000;
      const reply = (await claimScript.run(this.redis, keys, [
        leaseMs,
        interval,
        intervals.slack,
        intervals.teams,
      ])) as string[];
      if (reply[0] === 'wait') return { kind: 'wait', ms: Number(reply[1]) };
      if (reply[0] !== 'go') return { kind: 'idle' };
      return {
        kind: 'go',
        customer: JSON.parse(reply[2]) as CampaignCustomer,
        attempt: Number(reply[3]),
        grantedAt: Number(reply[4]),
      };
    });
  }

  markAttempt(name: string, id: string): Promise<void> {
    return withRedis(
      this.redis,
      'mark campaign attempt',
      async () => void (await this.redis.sAdd(this.key(name, 'attempted'), id)),
    );
  }

  wasAttempted(name: string, id: string): Promise<boolean> {
    return withRedis(
      this.redis,
      'read campaign attempt',
      async () => (await this.redis.sIsMember(this.key(name, 'attempted'), id)) === 1,
    );
  }

  complete(name: string, id: string, outcome: CustomerOutcome): Promise<void> {
    return withRedis(this.redis, 'complete campaign customer', async () => {
      const keys = [this.key(name, 'lease'), this.key(name, 'out'), this.member(id)];
      await completeScript.run(this.redis, keys, [
        id,
        JSON.stringify(outcome),
        name,
        outcome.status === 'started' ? 1 : 0,
        this.options.retentionMs,
      ]);
    });
  }

  release(name: string, customer: CampaignCustomer, backoffMs = 0): Promise<void> {
    return withRedis(this.redis, 'release campaign customer', async () => {
      const platform = customer.key.channel === 'teams' ? 'teams' : 'slack';
      await releaseScript.run(
        this.redis,
        [this.key(name, 'lease'), this.key(name, 'queue'), this.pace(platform)],
        [customer.id, Math.ceil(backoffMs)],
      );
    });
  }

  customers(name: string): Promise<CampaignCustomer[]> {
    return withRedis(this.redis, 'read campaign customers', async () =>
      Object.values(await this.redis.hGetAll(this.key(name, 'cust'))).map(
        (json) => JSON.parse(json) as CampaignCustomer,
      ),
    );
  }

  outcomes(name: string): Promise<Map<string, CustomerOutcome>> {
    return withRedis(this.redis, 'read campaign outcomes', async () => {
      const stored = await this.redis.hGetAll(this.key(name, 'out'));
      return new Map(Object.entries(stored).map(([id, json]) => [id, JSON.parse(json) as CustomerOutcome]));
    });
  }

  campaignOf(conversationId: string): Promise<string | undefined> {
    return withRedis(
      this.redis,
      'read campaign member',
      async () => (await this.redis.get(this.member(conversationId))) ?? undefined,
    );
  }

  noteProgress(name: string, id: string, step: string | undefined, flags: string[], at: number): Promise<void> {
    return withRedis(this.redis, 'note campaign progress', async () => {
      const batch = this.redis.multi();
      if (step) {
        batch.hSetNX(this.key(name, 'reached'), `${id}|${step}`, String(at));
        batch.hSet(this.key(name, 'last'), id, `${step}|${at}`);
      }
      for (const flag of flags) batch.hSetNX(this.key(name, 'flags'), `${id}|${flag}`, String(at));
      await batch.exec();
    });
  }

  progress(name: string): Promise<Map<string, CustomerProgress>> {
    return withRedis(this.redis, 'read campaign progress', async () => {
      const [reached, last, flags] = await Promise.all(
        ['reached', 'last', 'flags'].map((part) => this.redis.hGetAll(this.key(name, part))),
      );
      const byCustomer = new Map<string, CustomerProgress>();
      const of = (id: string) => byCustomer.get(id) ?? byCustomer.set(id, { reached: {}, flags: {} }).get(id)!;
      for (const [field, at] of Object.entries(reached)) of(before(field)).reached[after(field)] = Number(at);
      for (const [field, at] of Object.entries(flags)) of(before(field)).flags[after(field)] = Number(at);
      for (const [id, value] of Object.entries(last)) of(id).last = { step: before(value), at: Number(after(value)) };
      return byCustomer;
    });
  }

  /** Keeps a campaign's keys DATA_RETENTION past its creation (refreshed by the CLI's status). */
  private async touch(name: string): Promise<void> {
    const batch = this.redis.multi();
    for (const part of ['meta', 'queue', 'cust', 'lease', 'tries', 'attempted', 'out', 'reached', 'last', 'flags'])
      batch.pExpire(this.key(name, part), this.options.retentionMs);
    await batch.exec();
  }

  private key(name: string, part: string): string {
    return `${this.prefix}:c:${name}:${part}`;
  }

  private pace(what: string): string {
    return `${this.prefix}:pace:${what}`;
  }

  private names(): string {
    return `${this.prefix}:names`;
  }

  private member(conversationId: string): string {
    return `${this.prefix}:member:${conversationId}`;
  }
}

function flatten(info: CampaignInfo): Record<string, string> {
  return {
    name: info.name,
    ratePerMinute: String(info.ratePerMinute),
    platforms: info.platforms.join(','),
    createdAt: String(info.createdAt),
    createdBy: info.createdBy,
    total: String(info.total),
  };
}

/** `id|step` → id (ids have no `|`, steps neither). */
function before(field: string): string {
  return field.slice(0, field.lastIndexOf('|'));
}

function after(field: string): string {
  return field.slice(field.lastIndexOf('|') + 1);
}
