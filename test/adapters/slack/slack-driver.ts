import { randomUUID } from 'node:crypto';
import { escapeSlackText } from '../../../adapters/slack/slack-text.js';
import { slackKey } from '../../../adapters/slack/to-event.js';
import type { BotOutput, DriverFactory, TranscriptDriver } from '../../transcripts/driver.js';
import { transcriptFlow, transcriptLoginLinks } from '../../transcripts/flow-for-transcripts.js';
import { readBlocks } from './read-blocks.js';
import { dmMessage } from './signed-request.js';
import { SlackHarness } from './slack-harness.js';
import { clickPayload, messagesIn } from './slack-payloads.js';

const TEAM = 'T1';
const USER = 'U1';
const DM = `D${USER}`;

/**
 * The transcript driver for Slack: the customer's lines go to the real Bolt app as signed
 * Events API requests, clicks as `block_actions` built from the blocks the bot posted, and
 * the bot's messages are read back from the fake Web API (chat.postMessage, chat.update).
 * It does not see the helpdesk: main.ts routes hand-off messages (issue 7).
 */
export const slackDriver: DriverFactory = async (options) => {
  const harness = await SlackHarness.start({ flow: transcriptFlow(options), prepareMessage: transcriptLoginLinks });
  if (options.locale) harness.fake.locales.set(USER, options.locale === 'en' ? 'en-GB' : 'it-IT');
  const key = slackKey(TEAM, USER);
  let drained = 0;

  /** Sends one request and waits until the bot has finished with it. */
  const roundTrip = async (send: () => Promise<{ status: number }>) => {
    const before = harness.outcomes.length;
    const response = await send();
    if (response.status !== 200) throw new Error(`Slack request refused: HTTP ${response.status}`);
    const [outcome] = (await harness.outcomesAfter(before + 1)).slice(before);
    if (outcome?.kind === 'failed') throw new Error(`the turn failed: ${outcome.code}`);
  };

  const driver: TranscriptDriver = {
    observesHelpdesk: false,
    say: (text) => roundTrip(() => harness.slack.event(dmMessage(USER, asSlackSendsIt(text)))),
    click: async (label) => {
      const payload = clickPayload(messagesIn(harness.fake, DM), label, { team: TEAM, user: USER, responseUrl: `${harness.fake.origin}/respond/${randomUUID()}` });
      await roundTrip(() => harness.slack.interaction(payload));
    },
    advance: async (ms) => {
      harness.clock.advance(ms);
      await harness.runner.runDue();
    },
    inject: async (event) => {
      await harness.engine.handle({ key, event });
    },
    drain: async () => {
      const posts = harness.fake.served('chat.postMessage').filter((call) => call.args.channel === DM);
      const fresh = posts.slice(drained);
      drained = posts.length;
      return fresh.map((call): BotOutput => readBlocks(call.args.blocks));
    },
    currentStep: async () => (await harness.engine.status(key))?.step,
    close: () => harness.close(),
  };
  return driver;
};

/** What Slack makes of typed text: `&<>` escaped, e-mail addresses and URLs turned into links. */
function asSlackSendsIt(text: string): string {
  return escapeSlackText(text)
    .replace(/\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b/g, (email) => `<mailto:${email}|${email}>`)
    .replace(/\bhttps?:\/\/\S+/g, (url) => `<${url}>`);
}
