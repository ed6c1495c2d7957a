import type { Server } from 'node:http';
import { createTsidFlow, defaultFlowSettings } from '../../flows/tsid-digital-invoice/index.js';
import type { AddressInfo } from 'node:net';
import { createOidcLogin, MemoryLoginLinkStore, type LoginLinkStore, type OidcLogin } from '../../src/auth/index.js';
import {
  ConversationEngine,
  type ConversationKey,
  type Delivery,
  type FlowDefinition,
  type InboundEvent,
  type OutboundMessage,
  type TurnHandler,
} from '../../src/engine/index.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { MemoryReminderScheduler } from '../../src/scheduler/reminder-scheduler.js';
import { closeServer, createHttpApp, listen } from '../../src/app/server.js';
import { MemoryConversationStore } from '../../src/store/conversation-store.js';
import { startTestIdp, type TestIdp } from '../support/oidc-provider.js';
import { verifyFlow } from './verify-flow.js';

export interface LoginHarness {
  base: string;
  callbackUrl: string;
  idp: TestIdp;
  clock: ManualClock;
  engine: ConversationEngine;
  linkStore: LoginLinkStore;
  /** The login module under test (its routes are mounted on the harness's app). */
  login: OidcLogin;
  /** Every message delivered to a chat, in order. */
  delivered: Delivery[];
  /** Every line the auth module logged, as JSON. */
  logs: string[];
  /** Starts a conversation at `tsid.verify` and returns the login link it was sent. */
  newLoginLink(key?: ConversationKey): Promise<string>;
  /** The customer-visible texts delivered to `key`. */
  textsFor(key: ConversationKey): string[];
  close(): Promise<void>;
}

let users = 0;

/**
 * The bot's HTTP app with the login routes, a ConversationEngine running the tiny verify
 * flow, and the in-process identity provider, all on loopback. The clock is manual (link
 * expiry); ID tokens are still checked against real time, as in production.
 */
export interface LoginHarnessOptions {
  linkStore?: (clock: ManualClock) => LoginLinkStore;
  /** Default: the tiny verify flow of this folder. */
  flow?: FlowDefinition;
  /** The turns that bring a new conversation to `tsid.verify` (default: one session.start). */
  toVerify?: InboundEvent[];
  /** What the login module sees of the engine (default: the engine itself). */
  turns?: (engine: ConversationEngine) => Pick<TurnHandler, 'handle' | 'status'>;
}

export async function startLoginHarness(options: LoginHarnessOptions = {}): Promise<LoginHarness> {
  const clock = new ManualClock(Date.now());
  const app = createHttpApp({ readiness: async () => undefined });
  const server: Server = await listen(app, 0, '127.0.0.1');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const callbackUrl = `${base}/auth/callback`;
  const idp = await startTestIdp({ redirectUri: callbackUrl });
  const linkStore = options.linkStore?.(clock) ?? new MemoryLoginLinkStore(() => clock.now());
  const delivered: Delivery[] = [];
  const logs: string[] = [];
  const log = (level: string) => (fields: object, message: string) =>
    logs.push(JSON.stringify({ level, message, ...fields }));
  let prepare: (message: OutboundMessage, key: ConversationKey) => Promise<OutboundMessage> = async (m) => m;
  const engine = new ConversationEngine({
    flow: options.flow ?? verifyFlow,
    store: new MemoryConversationStore(() => clock.now()),
    scheduler: new MemoryReminderScheduler(),
    clock,
    deliver: async (delivery) => {
      delivered.push(delivery);
    },
    prepareMessage: (message, key) => prepare(message, key),
    onAudit: (entry, conversationId) => log('info')({ ...entry, conversationId }, 'audit: identity bound'),
  });
  const login = createOidcLogin({
    oidc: { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret },
    publicBaseUrl: base,
    linkStore,
    turns: options.turns?.(engine) ?? engine,
    clock,
    logger: { info: log('info'), warn: log('warn') },
    timeoutSeconds: 5,
    allowInsecureRequests: true,
  });
  prepare = login.prepareMessage;
  login.mount(app);

  const textsFor = (key: ConversationKey) =>
    delivered
      .filter((d) => d.key.user === key.user && d.message.kind === 'prompt')
      .map((d) => (d.message as { text: string }).text);

  return {
    base,
    callbackUrl,
    idp,
    clock,
    engine,
    linkStore,
    login,
    delivered,
    logs,
    textsFor,
    async newLoginLink(key = newKey()) {
      const before = delivered.length;
      for (const event of options.toVerify ?? [{ type: 'session.start' }])
        await engine.handle({ key, event, locale: 'en' });
      const messages: OutboundMessage[] = delivered
        .slice(before)
        .filter((d) => d.key.user === key.user)
        .map((d) => d.message);
      const prompt = messages.findLast((m) => m.kind === 'prompt' && m.loginLink);
      const url = prompt?.kind === 'prompt' ? prompt.links?.at(-1)?.url : undefined;
      if (!url) throw new Error('the verify step sent no login link');
      return url;
    },
    async close() {
      await idp.close();
      await closeServer(server);
    },
  };
}

/** The harness running the real guide, brought to its login step (`tsid.verify`). */
export function startTsidLoginHarness(linkStore?: LoginHarnessOptions['linkStore']): Promise<LoginHarness> {
  return startLoginHarness({
    linkStore,
    flow: createTsidFlow({ ...defaultFlowSettings, loginEnabled: true }),
    toVerify: [{ type: 'session.start' }, { type: 'session.start', step: 'tsid.verify' }],
  });
}

/** The stored context of a conversation of the harness. */
export async function contextOf(h: LoginHarness, key: ConversationKey): Promise<Record<string, unknown>> {
  return ((await h.engine.load(key))!.snapshot as { context: Record<string, unknown> }).context;
}

/** A fresh chat user. */
export function newKey(): ConversationKey {
  return { channel: 'slack', tenant: 'T1', user: `U${++users}` };
}
