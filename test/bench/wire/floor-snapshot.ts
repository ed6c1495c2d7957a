import {
  createRedisConnection,
  waitUntilReady,
  type SingleNodeConnection,
} from '../../../src/store/redis-connection.js';

/**
 * The state a framework echo bot keeps: one JSON snapshot per conversation, read and written
 * under WATCH (WATCH, GET, MULTI+SET+EXEC: three round trips), as a Bot Framework
 * ConversationState or a Bolt conversation store on Redis does. WATCH is per connection, so
 * each turn borrows a connection of its own from a pool.
 */
export class FloorSnapshots {
  private readonly idle: SingleNodeConnection[] = [];

  constructor(private readonly url: string) {}

  async turn(conversation: string, text: string): Promise<number> {
    const connection = this.idle.pop() ?? (await this.open());
    try {
      const key = `floor:{${conversation}}`;
      for (;;) {
        await connection.watch(key);
        const previous = JSON.parse((await connection.get(key)) ?? '{"turns":0}') as { turns: number };
        const next = { turns: previous.turns + 1, last: text, at: Date.now() };
        const written = await connection
          .multi()
          .set(key, JSON.stringify(next), { PX: 30 * 86_400_000 })
          .exec();
        if (written) return next.turns;
      }
    } finally {
      this.idle.push(connection);
    }
  }

  private async open(): Promise<SingleNodeConnection> {
    const connection = createRedisConnection(this.url);
    await waitUntilReady(connection);
    return connection;
  }
}
