import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { transcriptFlow, transcriptLoginLinks } from '../../transcripts/flow-for-transcripts.js';
import { FIRST_WORDS, median, QUICK_CUSTOMER_WALK, QUIET_MS, WALK_ENDS_WITH } from '../../walks/quick-customer-walk.js';
import { cardOf, isConfirmCard, readCard } from './read-cards.js';
import { TeamsTranscriptDriver } from './teams-driver.js';
import { TeamsHarness } from './teams-harness.js';

describe('Teams: a quick customer (answers 400 ms after the bot goes quiet) walks the whole guide', () => {
  let driver: TeamsTranscriptDriver;
  beforeAll(async () => {
    const harness = await TeamsHarness.start({ flow: transcriptFlow({}), prepareMessage: transcriptLoginLinks });
    driver = new TeamsTranscriptDriver(harness);
  });
  afterAll(() => driver.close());

  /** The customer's cards (a click's confirmation dialog is not a turn's message). */
  const cards = () =>
    driver.harness.fake
      .posted()
      .map((entry) => cardOf(entry.activity))
      .filter((card) => !isConfirmCard(card));

  async function quiet(before: number): Promise<number> {
    let seen = cards().length;
    let since = Date.now();
    const deadline = Date.now() + 20_000;
    while (seen === before || Date.now() - since < QUIET_MS) {
      if (Date.now() > deadline) throw new Error('the bot never answered');
      await new Promise((resolve) => setTimeout(resolve, 10));
      if (cards().length !== seen) [seen, since] = [cards().length, Date.now()];
    }
    return seen - before;
  }

  it('never gets out of step: each turn is one activity (one card) with the question last', async () => {
    const perTurn: number[] = [];
    let before = cards().length;
    await driver.say(FIRST_WORDS);
    for (const step of QUICK_CUSTOMER_WALK) {
      perTurn.push(await quiet(before));
      expect(readCard(cards().at(-1)!).text).toContain(step.asks);
      before = cards().length;
      await ('say' in step.answer ? driver.say(step.answer.say) : driver.click(step.answer.click));
    }
    perTurn.push(await quiet(before));
    expect(readCard(cards().at(-1)!).text).toContain(WALK_ENDS_WITH);
    console.log(`[figure] teams activities per turn: median ${median(perTurn)}, max ${Math.max(...perTurn)}`);
    expect(Math.max(...perTurn)).toBe(1);
  }, 60_000);
});
