import type { Activity } from 'botbuilder';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTeamsChannel, type TeamsChannel } from '../../../adapters/teams/index.js';
import type { TeamsAuthOptions, TeamsCredentials } from '../../../adapters/teams/teams-auth.js';
import type { TeamsLog } from '../../../adapters/teams/teams-log.js';
import type { HandoffService } from '../../../src/handoff/index.js';
import {
  audienceOf,
  ConversationEngine,
  type ConversationKey,
  type FlowDefinition,
  type PrepareMessage,
  type TurnHandler,
} from '../../../src/engine/index.js';
import { ManualClock } from '../../../src/scheduler/clock.js';
import { ReminderRunner } from '../../../src/engine/reminder-runner.js';
import { MemoryReminderScheduler } from '../../../src/scheduler/reminder-scheduler.js';
import { closeServer, createHttpApp, listen } from '../../../src/app/server.js';
import { MemoryConversationStore, type ConversationStore } from '../../../src/store/conversation-store.js';
import { FakeConnector } from './fake-connector.js';

export interface TeamsHarnessOptions {
  flow: FlowDefinition;
  prepareMessage?: PrepareMessage;
  /** Default: MicrosoftAppId empty (local mode). */
  teams?: Partial<TeamsCredentials>;
  /** Built from the fake connector (its JWKS) when given a function. */
  auth?: (fake: FakeConnector) => TeamsAuthOptions;
  store?: ConversationStore;
  /** `activity.locale` of the customer's activities. */
  locale?: string;
  /** Helpdesk messages go to this hand-off service (attached to the harness engine). */
  handoff?: HandoffService;
  /** With `handoff`: this team channel is the helpdesk. */
  helpdeskChannel?: string;
}

/** Who the customer is, as Teams names them. */
export const USER = { id: '29:user-1', aadObjectId: 'aad-user-1', name: 'Anna Bianchi' };
export const BOT = { id: '28:tsid-bot', name: 'TSID Assistant' };
export const TENANT = 'tenant-1';
export const PERSONAL_CONVERSATION = 'a:personal-conversation-1';

/**
 * The whole Teams side on loopback: the engine on memory store and scheduler with a
 * manual clock, the real channel (CloudAdapter) mounted on the shared HTTP app, and a
 * fake Bot Connector that activities' `serviceUrl` points at.
 */
export class TeamsHarness {
  readonly clock = new ManualClock();
  readonly scheduler = new MemoryReminderScheduler();
  readonly logs: { level: string; fields: object; message: string }[] = [];
  readonly retryDelays: number[] = [];
  /** What became of each helpdesk activity, in order. */
  readonly helpdeskOutcomes: { request: string; status: string }[] = [];
  /** Engine turns started through the channel (its TurnHandler), duplicates included. */
  turnsStarted = 0;
  readonly key: ConversationKey = { channel: 'teams', tenant: TENANT, user: USER.aadObjectId };
  readonly store: ConversationStore;
  readonly engine: ConversationEngine;
  readonly runner: ReminderRunner;
  readonly channel: TeamsChannel;
  private server?: Server;
  private nextId = 0;

  private constructor(
    readonly fake: FakeConnector,
    private readonly options: TeamsHarnessOptions,
  ) {
    this.store = options.store ?? new MemoryConversationStore(() => this.clock.now());
    // The engine needs the channel's deliver and the channel needs the engine: bound late.
    let engine: ConversationEngine | undefined;
    const turns: TurnHandler = {
      handle: (inbound) => {
        this.turnsStarted += 1;
        return engine!.handle(inbound);
      },
      status: (key) => engine!.status(key),
    };
    const record = (level: string) => (fields: object, message: string) =>
      void this.logs.push({ level, fields, message });
    const log: TeamsLog = { info: record('info'), warn: record('warn'), error: record('error') };
    this.channel = createTeamsChannel({
      teams: { appId: '', appType: 'MultiTenant', ...options.teams },
      turns,
      log,
      retry: { baseDelayMs: 1000, sleep: async (ms) => void this.retryDelays.push(ms) },
      auth: options.auth?.(fake),
      handoff: options.handoff,
      helpdesk: options.helpdeskChannel
        ? { channelId: options.helpdeskChannel, serviceUrl: fake.serviceUrl, tenantId: TENANT }
        : undefined,
      onHelpdeskOutcome: (outcome) => void this.helpdeskOutcomes.push(outcome),
    });
    const handoff = options.handoff;
    engine = new ConversationEngine({
      flow: options.flow,
      store: this.store,
      scheduler: this.scheduler,
      clock: this.clock,
      deliver: (delivery) =>
        handoff && audienceOf(delivery.message) === 'helpdesk'
          ? handoff.deliver(delivery)
          : this.channel.deliver(delivery),
      prepareMessage: options.prepareMessage,
    });
    handoff?.attach(engine);
    this.engine = engine;
    this.runner = new ReminderRunner({ engine, scheduler: this.scheduler, clock: this.clock });
  }

  static async start(options: TeamsHarnessOptions): Promise<TeamsHarness> {
    const harness = new TeamsHarness(await FakeConnector.start(), options);
    const app = createHttpApp({ readiness: async () => undefined });
    harness.channel.mount(app);
    harness.server = await listen(app, 0, '127.0.0.1');
    return harness;
  }

  get messagesUrl(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/api/messages`;
  }

  /** A message activity from the customer in their personal chat with the bot. */
  activity(fields: Partial<Activity> = {}): Partial<Activity> {
    this.nextId += 1;
    return {
      type: 'message',
      id: `in-${this.nextId}`,
      channelId: 'msteams',
      serviceUrl: this.fake.serviceUrl,
      timestamp: new Date(this.clock.now()),
      from: { ...USER },
      recipient: { ...BOT },
      conversation: {
        id: PERSONAL_CONVERSATION,
        conversationType: 'personal',
        tenantId: TENANT,
        isGroup: false,
        name: '',
      },
      channelData: { tenant: { id: TENANT } },
      ...(this.options.locale ? { locale: this.options.locale } : {}),
      ...fields,
    };
  }

  /** POSTs an activity to /api/messages; resolves once the bot answered the request. */
  async post(
    activity: Partial<Activity> | string,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: string; headers: Headers }> {
    const response = await fetch(this.messagesUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof activity === 'string' ? activity : JSON.stringify(activity),
    });
    return { status: response.status, body: await response.text(), headers: response.headers };
  }

  /** Simulated time passes and due reminders run (delivered proactively). */
  async advance(ms: number): Promise<void> {
    this.clock.advance(ms);
    await this.runner.runDue();
  }

  async close(): Promise<void> {
    if (this.server) await closeServer(this.server);
    await this.fake.close();
  }
}
