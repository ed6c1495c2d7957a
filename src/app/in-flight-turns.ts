import { conversationId, type Inbound, type TurnHandler, type TurnResult } from '../engine/index.js';

/**
 * Counts the turns running right now (a turn includes its outbox flush), so a shutdown
 * can wait for them and name the ones it had to leave behind.
 */
export class InFlightTurns {
  private readonly running = new Map<number, { conversation: string; since: number }>();
  private next = 0;

  /** Wraps the engine so every turn, from any channel, is counted while it runs. */
  track(turns: TurnHandler): TurnHandler {
    return {
      handle: async (inbound: Inbound): Promise<TurnResult> => {
        const id = this.next++;
        this.running.set(id, { conversation: conversationId(inbound.key), since: Date.now() });
        try {
          return await turns.handle(inbound);
        } finally {
          this.running.delete(id);
        }
      },
      status: (key) => turns.status(key),
    };
  }

  get count(): number {
    return this.running.size;
  }

  /** The conversations of the turns still running. */
  conversations(): string[] {
    return [...new Set([...this.running.values()].map((turn) => turn.conversation))];
  }

  /** When the oldest turn still running started (a Map keeps insertion order). */
  oldestStartedAt(): number | undefined {
    return this.running.values().next().value?.since;
  }
}
