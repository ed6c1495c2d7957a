import type { Server } from 'node:http';
import { createSlackChannel, type SlackChannel, type SlackOutcome } from '../../../adapters/slack/index.js';
import type { SlackLogger } from '../../../adapters/slack/slack-logger.js';
import {
  audienceOf,
  ConversationEngine,
  type EngineOptions,
  type FlowDefinition,
  type PrepareMessage,
  type TurnHandler,
} from '../../../src/engine/index.js';
import type { HandoffService } from '../../../src/handoff/index.js';
import { ManualClock } from '../../../src/scheduler/clock.js';
import { MemoryReminderScheduler } from '../../../src/scheduler/reminder-scheduler.js';
import { ReminderRunner } from '../../../src/engine/reminder-runner.js';
import { closeServer, createHttpApp, listen } from '../../../src/app/server.js';
import { MemoryConversationStore, type ConversationStore } from '../../../src/store/conversation-store.js';
import { createEchoFlow } from './echo-flow.js';
import { FakeSlackApi } from './fake-slack-api.js';
import { SIGNING_SECRET, SlackRequests } from './signed-request.js';

export interface HarnessOptions {
  flow?: FlowDefinition;
  /** Built on the harness clock when absent. */
  store?: (now: () => number) => ConversationStore;
  minPostIntervalMs?: number;
  /** Wraps what the channel calls (count, block or fail turns). */
  wrapTurns?: (engine: ConversationEngine) => TurnHandler;
  prepareMessage?: PrepareMessage;
  /** Told of every message moved to the dead letters (the engine's hook). */
  onDeadLetter?: EngineOptions['onDeadLetter'];
  /** Told of every failed delivery kept for a retry (the engine's hook). */
  onError?: EngineOptions['onError'];
  /** A helpdesk in this Slack channel, worked through this hand-off service (attached to the harness engine). */
  helpdesk?: { channel: string; handoff: HandoffService };
  /** How long the helpdesk member list is trusted (default 0: always asked again). */
  helpdeskMemberCacheMs?: number;
  /** The channel's wall clock (request window, member cache); default Date.now. */
  now?: () => number;
  /** SLACK_ALLOWED_TEAMS: workspaces served besides the token's own (`T1`, from the fake's auth.test). */
  allowedTeams?: string[];
  /** Before the channel starts: e.g. what the fake's auth.test says. */
  beforeStart?: (fake: FakeSlackApi) => void;
}

/**
 * The real thing on loopback: the shared express app with Bolt mounted on it, the engine
 * on a ManualClock, and a fake Slack Web API. Requests go in signed over HTTP.
 */
export class SlackHarness {
  private constructor(
    readonly outcomes: SlackOutcome[],
    readonly logs: LogEntry[],
    readonly fake: FakeSlackApi,
    readonly engine: ConversationEngine,
    readonly channel: SlackChannel,
    readonly clock: ManualClock,
    readonly runner: ReminderRunner,
    readonly slack: SlackRequests,
    private readonly server: Server,
  ) {}

  static async start(options: HarnessOptions = {}): Promise<SlackHarness> {
    const fake = await FakeSlackApi.start();
    options.beforeStart?.(fake);
    const clock = new ManualClock();
    const scheduler = new MemoryReminderScheduler();
    const http = createHttpApp({ readiness: async () => undefined });
    const outcomes: SlackOutcome[] = [];
    const logs: LogEntry[] = [];
    const channel = createSlackChannel({
      botToken: 'xoxb-test',
      signingSecret: SIGNING_SECRET,
      http,
      apiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      minPostIntervalMs: options.minPostIntervalMs ?? 0,
      logger: recordingLogger(logs),
      onOutcome: (outcome) => outcomes.push(outcome),
      helpdeskChannel: options.helpdesk?.channel,
      handoff: options.helpdesk?.handoff,
      helpdeskMemberCacheMs: options.helpdeskMemberCacheMs ?? 0,
      now: options.now,
      allowedTeams: options.allowedTeams,
    });
    const handoff = options.helpdesk?.handoff;
    const engine = new ConversationEngine({
      flow: options.flow ?? createEchoFlow(),
      store: options.store?.(() => clock.now()) ?? new MemoryConversationStore(() => clock.now()),
      scheduler,
      clock,
      deliver: (delivery) =>
        handoff && audienceOf(delivery.message) === 'helpdesk' ? handoff.deliver(delivery) : channel.deliver(delivery),
      prepareMessage: options.prepareMessage,
      onDeadLetter: options.onDeadLetter,
      onError: options.onError,
    });
    handoff?.attach(engine);
    channel.attach(options.wrapTurns?.(engine) ?? engine);
    await channel.start();
    const runner = new ReminderRunner({ engine, scheduler, clock });
    const server = await listen(http, 0, '127.0.0.1');
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    return new SlackHarness(outcomes, logs, fake, engine, channel, clock, runner, new SlackRequests(base), server);
  }

  /** Resolves once `count` Slack requests have been fully handled; returns their outcomes. */
  async outcomesAfter(count: number): Promise<SlackOutcome[]> {
    await this.fake.waitFor(() => this.outcomes.length >= count, `${count} outcomes (have ${this.outcomes.length})`);
    return this.outcomes.slice(0, count);
  }

  /** Texts (fallback) of the messages posted to one channel, in order. */
  posted(channel: string): string[] {
    return this.fake
      .served('chat.postMessage')
      .filter((c) => c.args.channel === channel)
      .map((c) => String(c.args.text));
  }

  async close(): Promise<void> {
    await closeServer(this.server);
    await this.fake.close();
  }
}

export interface LogEntry {
  level: string;
  fields: object;
  message: string;
}

function recordingLogger(logs: LogEntry[]): SlackLogger {
  const log = (level: string) => (fields: object, message: string) => void logs.push({ level, fields, message });
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
