import { randomUUID } from 'node:crypto';
import { slackKey } from '../../../adapters/slack/to-event.js';
import type { BotOutput, DriverFactory, TranscriptDriver } from '../../transcripts/driver.js';
import { transcriptFlow, transcriptLoginLinks } from '../../transcripts/flow-for-transcripts.js';
import { readBlocks } from './read-blocks.js';
import { dmMessage, slackEscaped } from './signed-request.js';
import { SlackHarness } from './slack-harness.js';
import { clickPayload, messagesIn } from './slack-payloads.js';
import { HELPDESK_CHANNEL, SlackHelpdeskAgent } from './slack-helpdesk-agent.js';
import { HandoffService, MemoryHandoffStore } from '../../../src/handoff/index.js';
import { STEP_IDS } from '../../../flows/tsid-digital-invoice/index.js';

const TEAM = 'T1';
const USER = 'U1';
const DM = `D${USER}`;

/**
 * The transcript driver for Slack: the customer's lines go to the real Bolt app as signed
 * Events API requests, clicks as `block_actions` built from the blocks the bot posted, and
 * the bot's messages are read back from the fake Web API (chat.postMessage, chat.update).
 * The helpdesk is a Slack channel too: `! agent …` lines are an agent's clicks on the
 * hand-off post and replies in its thread, and `<<` lines read what the bot posted there.
 */
export const slackDriver: DriverFactory = async (options) => {
  if (options.helpdesk === 'teams')
    throw new Error('the Slack driver has a Slack helpdesk only (@helpdesk teams is not supported here)');
  const handoff = new HandoffService({ store: new MemoryHandoffStore(), steps: STEP_IDS });
  const harness = await SlackHarness.start({
    flow: transcriptFlow(options),
    prepareMessage: transcriptLoginLinks,
    helpdesk: { channel: HELPDESK_CHANNEL, handoff },
  });
  const agent = new SlackHelpdeskAgent(harness);
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
    observesHelpdesk: true,
    say: (text) => roundTrip(() => harness.slack.event(dmMessage(USER, asSlackSendsIt(text)))),
    click: async (label) => {
      const payload = clickPayload(messagesIn(harness.fake, DM), label, {
        team: TEAM,
        user: USER,
        responseUrl: `${harness.fake.origin}/respond/${randomUUID()}`,
      });
      await roundTrip(() => harness.slack.interaction(payload));
    },
    advance: async (ms) => {
      harness.clock.advance(ms);
      await harness.runner.runDue();
    },
    inject: async (event) => {
      if (event.type.startsWith('agent.') && event.type !== 'agent.timeout') return agent.act(event);
      await harness.engine.handle({ key, event });
    },
    drain: async () => {
      const posts = harness.fake.served('chat.postMessage').filter((call) => call.args.channel === DM);
      const fresh = posts.slice(drained);
      drained = posts.length;
      return [...fresh.map((call): BotOutput => readBlocks(call.args.blocks)), ...agent.drain()];
    },
    currentStep: async () => (await harness.engine.status(key))?.step,
    close: () => harness.close(),
  };
  return driver;
};

/** What Slack makes of typed text: `&<>` escaped, e-mail addresses and URLs turned into links. */
export function asSlackSendsIt(text: string): string {
  return slackEscaped(text)
    .replace(/\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b/g, (email) => `<mailto:${email}|${email}>`)
    .replace(/\bhttps?:\/\/\S+/g, (url) => `<${url}>`);
}
