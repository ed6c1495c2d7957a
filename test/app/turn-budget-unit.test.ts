import { describe, expect, it } from '@jest/globals';
import { TurnBudget } from '../../src/app/turn-budget.js';

function budget(held: { n: number }, oldest?: { at?: number }, now = () => 100_000) {
  return new TurnBudget({
    max: 10,
    maxAgeMs: 20_000,
    acknowledged: () => held.n,
    oldestStartedAt: () => oldest?.at,
    now,
  });
}

describe('TurnBudget', () => {
  it('refuses at the budget, and for age only once a tenth of it is held', () => {
    const held = { n: 9 };
    const oldest = { at: 100_000 - 30_000 };
    expect(budget({ n: 10 }).refusal()).toBe('budget');
    expect(budget(held).refusal()).toBeUndefined();
    expect(budget({ n: 1 }, oldest).refusal()).toBe('age');
    expect(budget({ n: 0 }, oldest).refusal()).toBeUndefined(); // one slow conversation alone does not close the door
    expect(budget({ n: 5 }, { at: 100_000 - 10_000 }).refusal()).toBeUndefined();
  });

  it('background work waits for room while half the budget is held, and no longer than its limit', async () => {
    const held = { n: 6 };
    const waiting = new TurnBudget({
      max: 10,
      maxAgeMs: 20_000,
      acknowledged: () => held.n,
      oldestStartedAt: () => undefined,
    });
    let done = false;
    const room = waiting.room(10_000, 10).then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(done).toBe(false);
    held.n = 4;
    await room;
    expect(done).toBe(true);
    held.n = 10;
    const started = Date.now();
    await waiting.room(200, 10);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });
});
