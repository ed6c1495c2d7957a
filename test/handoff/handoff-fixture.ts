import { COMPANY_STEPS, STEP_IDS } from '../../flows/tsid-digital-invoice/steps.js';
import {
  audienceOf,
  ConversationEngine,
  type ConversationKey,
  type Delivery,
  type InboundEvent,
  type OutboundMessage,
} from '../../src/engine/index.js';
import {
  HandoffService,
  MemoryHandoffStore,
  type HandoffCard,
  type HandoffStore,
  type HelpdeskActor,
  type HelpdeskPort,
  type HelpdeskPost,
  type ThreadNote,
} from '../../src/handoff/index.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { ReminderRunner } from '../../src/engine/reminder-runner.js';
import { MemoryReminderScheduler } from '../../src/scheduler/reminder-scheduler.js';
import { MemoryConversationStore } from '../../src/store/conversation-store.js';
import { transcriptFlow } from '../transcripts/flow-for-transcripts.js';

type Call =
  | { op: 'post'; card: HandoffCard }
  | { op: 'update'; thread: string; card: HandoffCard }
  | { op: 'reply'; thread: string; note: ThreadNote };

/**
 * A helpdesk that records what the hand-off asked of it. The service's own port, faked:
 * Slack's and Teams' implementations are tested over HTTP in test/adapters.
 */
export class RecordingHelpdesk implements HelpdeskPort {
  readonly platform = 'slack' as const;
  readonly calls: Call[] = [];
  readonly members = new Set<string>();
  failPosts = 0;

  async post(card: HandoffCard): Promise<HelpdeskPost> {
    if (this.failPosts > 0) {
      this.failPosts -= 1;
      throw new Error('the helpdesk is down');
    }
    this.calls.push({ op: 'post', card });
    return { platform: 'slack', thread: `thread-${this.posts().length}`, ref: { n: this.posts().length } };
  }

  async update(post: HelpdeskPost, card: HandoffCard): Promise<void> {
    this.calls.push({ op: 'update', thread: post.thread, card });
  }

  async reply(post: HelpdeskPost, note: ThreadNote): Promise<void> {
    this.calls.push({ op: 'reply', thread: post.thread, note });
  }

  async isMember(actor: HelpdeskActor): Promise<boolean> {
    return this.members.has(actor.id);
  }

  posts() {
    return this.calls.filter((call): call is Extract<Call, { op: 'post' }> => call.op === 'post');
  }

  replies(): string[] {
    return this.calls.flatMap((call) => (call.op === 'reply' ? [`${call.note.from}: ${call.note.text}`] : []));
  }
}

export const agent = (name: string): HelpdeskActor => ({ platform: 'slack', id: `U${name.toUpperCase()}`, name });

/** The real engine and flow on memory stores, the hand-off service, and a recording helpdesk. */
export function handoffFixture(options: { agents?: string[]; store?: HandoffStore; noHelpdesk?: boolean } = {}) {
  const clock = new ManualClock();
  const scheduler = new MemoryReminderScheduler();
  const conversations = new MemoryConversationStore(() => clock.now());
  const helpdesk = new RecordingHelpdesk();
  const store = options.store ?? new MemoryHandoffStore(() => clock.now());
  const service = new HandoffService({
    store,
    steps: STEP_IDS,
    companySteps: COMPANY_STEPS,
    agents: options.agents,
    now: () => clock.now(),
  });
  const customer: OutboundMessage[] = [];
  const helpdeskDeliveries: Delivery[] = [];
  const engine = new ConversationEngine({
    flow: transcriptFlow({}),
    store: conversations,
    scheduler,
    clock,
    deliver: async (delivery) => {
      if (audienceOf(delivery.message) === 'customer') return void customer.push(delivery.message);
      helpdeskDeliveries.push(delivery);
      await service.deliver(delivery);
    },
  });
  if (!options.noHelpdesk) service.registerHelpdesk(helpdesk);
  service.attach(engine);
  const runner = new ReminderRunner({ engine, scheduler, clock });
  const key: ConversationKey = { channel: 'slack', tenant: 'T1', user: 'U1' };
  const send = (event: InboundEvent, k = key) => engine.handle({ key: k, event });
  const texts = () =>
    customer
      .splice(0)
      .map((message) =>
        message.kind === 'prompt'
          ? message.text
          : message.kind === 'agent.text'
            ? `${message.agentName}: ${message.text}`
            : message.kind,
      );
  for (const name of ['Giulia', 'Marco']) helpdesk.members.add(agent(name).id);
  return {
    clock,
    engine,
    service,
    store,
    helpdesk,
    runner,
    key,
    conversations,
    helpdeskDeliveries,
    send,
    texts,
    say: (text: string) => send({ type: 'user.text', text }),
    /** Asks for a person at the first question; returns the post's thread. */
    async requestHandoff(): Promise<string> {
      await send({ type: 'user.text', text: 'ciao' });
      await send({ type: 'user.text', text: 'operatore' });
      texts();
      return `thread-${helpdesk.posts().length}`;
    },
  };
}
