import type { FlowDefinition, InboundEvent, PrepareMessage } from '../../../src/engine/index.js';
import type { BotOutput, DriverFactory, DriverOptions, TranscriptDriver } from '../../transcripts/driver.js';
import type { CapturedActivity } from './fake-connector.js';
import { cardOf, isConfirmCard, readCard, submitActions } from './read-cards.js';
import { TeamsHarness } from './teams-harness.js';
import { HELPDESK_CHANNEL, TeamsHelpdeskAgent } from './teams-helpdesk-agent.js';
import { HandoffService, MemoryHandoffStore } from '../../../src/handoff/index.js';
import { STEP_IDS } from '../../../flows/tsid-digital-invoice/index.js';
import { SlackHarness } from '../slack/slack-harness.js';
import { HELPDESK_CHANNEL as SLACK_HELPDESK_CHANNEL, SlackHelpdeskAgent } from '../slack/slack-helpdesk-agent.js';

/** An agent in whichever helpdesk serves the transcript. */
export interface HelpdeskAgent {
  act(event: InboundEvent): Promise<void>;
  drain(): BotOutput[];
}

/**
 * Drives one customer through Teams: activities go to the real CloudAdapter over HTTP,
 * replies are read back from the fake connector and parsed from our own cards. A click
 * sends the `Action.Submit` value the card carried; a confirmation card that a click brings
 * up is confirmed at once and not reported (the engine run knows no dialog, as with Slack's
 * `confirm`). With a helpdesk, `! agent …` lines are an agent's actions there and `<<`
 * lines read what the bot posted there (the Teams helpdesk channel, or Slack's).
 */
export class TeamsTranscriptDriver implements TranscriptDriver {
  readonly observesHelpdesk: boolean;
  private drained = 0;
  private readonly hidden = new Set<number>();

  constructor(
    readonly harness: TeamsHarness,
    private readonly agent?: HelpdeskAgent,
    private readonly closeHelpdesk: () => Promise<void> = async () => undefined,
  ) {
    this.observesHelpdesk = agent !== undefined;
  }

  async say(text: string): Promise<void> {
    await this.send(this.harness.activity({ text }));
  }

  async click(label: string): Promise<void> {
    const { card, action } = this.findButton(label);
    const before = this.harness.fake.captured.length;
    await this.send(this.harness.activity({ value: action.data, replyToId: card.id }));
    if (action.data.tsid !== 'choice' || !action.data.confirm) return;
    const confirmation = this.harness.fake.captured
      .slice(before)
      .find((entry) => entry.method === 'POST' && isConfirmCard(cardOf(entry.activity)));
    if (!confirmation) throw new Error(`"${label}" asked for a confirmation, but no confirmation card came`);
    this.hidden.add(confirmation.seq);
    const yes = submitActions(cardOf(confirmation.activity)).find((candidate) => candidate.data.tsid === 'confirmed')!;
    await this.send(this.harness.activity({ value: yes.data, replyToId: confirmation.id }));
  }

  advance(ms: number): Promise<void> {
    return this.harness.advance(ms);
  }

  async inject(event: InboundEvent): Promise<void> {
    if (this.agent && event.type.startsWith('agent.') && event.type !== 'agent.timeout') return this.agent.act(event);
    await this.harness.engine.handle({ key: this.harness.key, event });
  }

  async drain(): Promise<BotOutput[]> {
    const posted = this.harness.fake
      .posted()
      .filter((entry) => entry.seq > this.drained && !entry.conversationId.startsWith(HELPDESK_CHANNEL));
    this.drained = this.harness.fake.captured.at(-1)?.seq ?? this.drained;
    const customer = posted
      .filter((entry) => !this.hidden.has(entry.seq))
      .map((entry) => readCard(cardOf(entry.activity)));
    return [...customer, ...(this.agent?.drain() ?? [])];
  }

  async currentStep(): Promise<string | undefined> {
    return (await this.harness.engine.status(this.harness.key))?.step;
  }

  async close(): Promise<void> {
    await this.harness.close();
    await this.closeHelpdesk();
  }

  /** The newest card, as it reads now (updates applied), with a button of this label. */
  private findButton(label: string) {
    for (const card of this.currentCards().reverse()) {
      const action = submitActions(cardOf(card.activity)).find((candidate) => candidate.title === label);
      if (action) return { card, action };
    }
    throw new Error(`no button "${label}" on any card still open`);
  }

  /** Posted activities with the latest PUT applied to each. */
  private currentCards(): CapturedActivity[] {
    const latest = new Map<string, CapturedActivity>();
    for (const entry of this.harness.fake.captured)
      latest.set(entry.id, entry.method === 'PUT' ? { ...latest.get(entry.id)!, activity: entry.activity } : entry);
    return [...latest.values()].sort((a, b) => a.seq - b.seq);
  }

  private async send(activity: object): Promise<void> {
    const response = await this.harness.post(activity);
    if (response.status !== 200) throw new Error(`/api/messages answered ${response.status}: ${response.body}`);
  }
}

/**
 * A transcript driver over Teams for a flow (the transcripts' or a test's own), with a
 * helpdesk in a Teams channel, or in a Slack channel when the transcript says `@helpdesk slack`.
 */
export function teamsDriverFactory(
  flow: (options: DriverOptions) => FlowDefinition,
  prepareMessage?: PrepareMessage,
): DriverFactory {
  return async (options) => {
    const handoff = new HandoffService({ store: new MemoryHandoffStore(), steps: STEP_IDS });
    const locale = options.locale === 'en' ? 'en-US' : 'it-IT';
    if (options.helpdesk === 'slack') {
      // Started first: the Teams harness attaches its engine to the service last, so agents act on the Teams customer.
      const slack = await SlackHarness.start({
        flow: flow(options),
        helpdesk: { channel: SLACK_HELPDESK_CHANNEL, handoff },
      });
      const harness = await TeamsHarness.start({ flow: flow(options), prepareMessage, locale, handoff });
      return new TeamsTranscriptDriver(harness, new SlackHelpdeskAgent(slack), () => slack.close());
    }
    const harness = await TeamsHarness.start({
      flow: flow(options),
      prepareMessage,
      locale,
      handoff,
      helpdeskChannel: HELPDESK_CHANNEL,
    });
    return new TeamsTranscriptDriver(harness, new TeamsHelpdeskAgent(harness));
  };
}
