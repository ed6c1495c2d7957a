import {
  ConversationEngine,
  UNDELIVERABLE_RELAY,
  type ConversationKey,
  type OutboundMessage,
} from '../../src/engine/index.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { ReminderRunner } from '../../src/engine/reminder-runner.js';
import { MemoryReminderScheduler } from '../../src/scheduler/reminder-scheduler.js';
import { MemoryConversationStore } from '../../src/store/conversation-store.js';
import type { BotOutput, DriverFactory, TranscriptDriver } from './driver.js';
import { transcriptFlow, transcriptLoginLinks } from './flow-for-transcripts.js';

/** How a channel-neutral message reads, for drivers that see messages before any rendering. */
export function toBotOutput(message: OutboundMessage): BotOutput {
  switch (message.kind) {
    case 'prompt':
      return {
        audience: 'customer',
        text: message.text,
        choices: (message.choices ?? []).map((choice) => choice.label),
        links: message.links ?? [],
      };
    case 'agent.text':
      return { audience: 'customer', text: `${message.agentName}: ${message.text}`, choices: [], links: [] };
    case 'handoff.request':
      return { audience: 'helpdesk', text: `hand-off requested (${message.summary.reason}) at ${message.summary.step}`, choices: [], links: [] };
    case 'handoff.relay':
      return { audience: 'helpdesk', text: message.text, choices: [], links: [] };
    case 'handoff.resumed':
      return { audience: 'helpdesk', text: `handed back to ${message.step} by ${message.agentName}`, choices: [], links: [] };
    case 'handoff.rejected':
      return { audience: 'helpdesk', text: `hand-back to ${message.step} refused: ${message.reason}`, choices: [], links: [] };
    case 'handoff.undeliverable':
      return { audience: 'helpdesk', text: UNDELIVERABLE_RELAY, choices: [], links: [] };
  }
}

/** Drives the engine directly: the reference every channel's transcript run is compared with. */
export const engineDriver: DriverFactory = async (options) => {
  const clock = new ManualClock();
  // Every message's buttons, newest first: a click finds the newest message that has the label, as in a chat.
  const shownChoices: { id: string; label: string }[][] = [];
  const scheduler = new MemoryReminderScheduler();
  const outputs: BotOutput[] = [];
  const engine = new ConversationEngine({
    flow: transcriptFlow(options),
    store: new MemoryConversationStore(() => clock.now()),
    scheduler,
    clock,
    deliver: async ({ message }) => {
      outputs.push(toBotOutput(message));
      if (message.kind === 'prompt' && message.choices?.length) shownChoices.unshift(message.choices);
    },
    prepareMessage: transcriptLoginLinks,
  });
  const runner = new ReminderRunner({ engine, scheduler, clock });
  const key: ConversationKey = { channel: 'local', tenant: 'transcripts', user: 'customer-1' };
  const send = async (event: Parameters<typeof engine.handle>[0]['event']) => {
    await engine.handle({ key, event, locale: options.locale });
  };
  const driver: TranscriptDriver = {
    observesHelpdesk: true,
    say: (text) => send({ type: 'user.text', text }),
    click: async (label) => {
      const choice = shownChoices.flat().find((candidate) => candidate.label === label);
      if (!choice) throw new Error(`no button "${label}" on any message (${shownChoices[0]?.map((c) => c.label).join(', ')})`);
      await send({ type: 'user.choice', choiceId: choice.id });
    },
    advance: async (ms) => {
      clock.advance(ms);
      await runner.runDue();
    },
    inject: (event) => send(event),
    drain: async () => outputs.splice(0),
    currentStep: async () => (await engine.status(key))?.step,
    close: async () => undefined,
  };
  return driver;
};
