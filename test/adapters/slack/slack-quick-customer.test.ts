import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { transcriptFlow, transcriptLoginLinks } from '../../transcripts/flow-for-transcripts.js';
import { FIRST_WORDS, median, QUICK_CUSTOMER_WALK, QUIET_MS, WALK_ENDS_WITH } from '../../walks/quick-customer-walk.js';
import { readBlocks } from './read-blocks.js';
import { dmMessage } from './signed-request.js';
import { SlackHarness } from './slack-harness.js';
import { clickPayload, messagesIn } from './slack-payloads.js';

const TEAM = 'T1';
const USER = 'U1';
const DM = `D${USER}`;

describe('Slack: a quick customer (answers 400 ms after the bot goes quiet) walks the whole guide', () => {
  let harness: SlackHarness;
  beforeAll(async () => {
    // Slack's real pace: one post per second per channel sustained, and the fake enforces a
    // per-channel window of its own (429 + Retry-After beyond it), as Slack does.
    harness = await SlackHarness.start({
      flow: transcriptFlow({}),
      prepareMessage: transcriptLoginLinks,
      minPostIntervalMs: 1000,
    });
    harness.fake.limitRate('chat.postMessage', 6, 5000);
  });
  afterAll(() => harness.close());

  const posts = () => harness.fake.served('chat.postMessage').filter((call) => call.args.channel === DM);

  /** Waits for the bot's answer: at least one new post, then QUIET_MS without another. */
  async function quiet(before: number): Promise<number> {
    await harness.fake.waitFor(() => posts().length > before, 'an answer', 20_000);
    let seen = posts().length;
    let since = Date.now();
    while (Date.now() - since < QUIET_MS) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      if (posts().length !== seen) [seen, since] = [posts().length, Date.now()];
    }
    return seen - before;
  }

  const newest = () => readBlocks(posts().at(-1)!.args.blocks);

  async function answer(step: (typeof QUICK_CUSTOMER_WALK)[number]['answer']): Promise<void> {
    const response =
      'say' in step
        ? await harness.slack.event(dmMessage(USER, step.say))
        : await harness.slack.interaction(
            // Only the newest message: the customer answers what the bot asks now.
            clickPayload(messagesIn(harness.fake, DM).slice(-1), step.click, {
              team: TEAM,
              user: USER,
              responseUrl: `${harness.fake.origin}/respond/${randomUUID()}`,
            }),
          );
    expect(response.status).toBe(200);
  }

  it('never gets out of step: each turn is one Slack message, question and buttons included, and the pace holds', async () => {
    const perTurn: number[] = [];
    let before = posts().length;
    await harness.slack.event(dmMessage(USER, FIRST_WORDS));
    for (const step of QUICK_CUSTOMER_WALK) {
      perTurn.push(await quiet(before));
      expect(newest().text).toContain(step.asks);
      before = posts().length;
      await answer(step.answer);
    }
    perTurn.push(await quiet(before));
    expect(newest().text).toContain(WALK_ENDS_WITH);

    console.log(`[figure] slack posts per turn: median ${median(perTurn)}, max ${Math.max(...perTurn)}`);
    expect(Math.max(...perTurn)).toBe(1);
    // The "✔" redraw of a clicked message keeps the whole turn it showed (notice and question).
    const updated = harness.fake.served('chat.update').map((call) => readBlocks(call.args.blocks).text);
    expect(updated).toContainEqual(
      expect.stringMatching(/salto Bar Sport[^]*Azienda 2 di 2: Pizzeria Da Mario[^]*✔ Fatto/),
    );
    // Sustained pace: the bot's bucket (5 at once, then one a second) holds over any 10 s;
    // any 429 the fake answered was waited out (every turn arrived).
    const times = posts().map((call) => call.at);
    for (const at of times) expect(times.filter((t) => t >= at && t < at + 10_000).length).toBeLessThanOrEqual(15);
    const limited = harness.fake.calls.filter((call) => call.method === 'chat.postMessage' && call.rateLimited);
    console.log(`[figure] slack 429s waited out in the quick walk: ${limited.length}`);
  }, 120_000);
});
