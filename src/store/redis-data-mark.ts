import { randomUUID } from 'node:crypto';
import { withRedis, type RedisConnection } from './redis-connection.js';

/**
 * A key written once into a Redis that holds the bot's data: when it is gone, so is the
 * rest (FLUSHALL, or a Redis without persistence restarted empty). Its value names the
 * data's generation, so the processes sharing the Redis can agree on who noticed a loss.
 */
export class RedisDataMark {
  private readonly key: string;

  constructor(
    private readonly redis: RedisConnection,
    prefix = 'tsid',
  ) {
    this.key = `${prefix}:data-mark`;
  }

  /** The current generation, or null when the mark is gone. */
  read(): Promise<string | null> {
    return withRedis(this.redis, 'read data mark', () => this.redis.get(this.key));
  }

  /** Writes a new generation unless one is there; resolves with it when this call wrote it. */
  async renew(): Promise<string | undefined> {
    const generation = randomUUID();
    const written = await withRedis(this.redis, 'write data mark', () =>
      this.redis.set(this.key, generation, { condition: 'NX' }),
    );
    return written === 'OK' ? generation : undefined;
  }
}
