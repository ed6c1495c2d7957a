import { createHash } from 'node:crypto';
import { AppError, asAppError } from '../errors.js';
import {
  cleanText,
  conversationId,
  type ConversationKey,
  type Delivery,
  type HelpdeskMessage,
  type Inbound,
  type TurnHandler,
  type TurnResult,
  UNDELIVERABLE_RELAY,
} from '../engine/index.js';
import { AgentGate } from './agent-gate.js';
import { cardBase, cardOf, readHandBack } from './handoff-card.js';
import type { HandoffAgent, HandoffRecord, HandoffStore } from './handoff-store.js';
import type { ActionOutcome, HelpdeskActor, HelpdeskPlatform, HelpdeskPort, ThreadNote } from './helpdesk-port.js';

/** Where the service reports what it could not do (pino works as is). */
export interface HandoffLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** What an agent does on a hand-off's thread; who acted comes from the signed request, never from a button. */
export type AgentAction =
  | { kind: 'take'; thread: string; actor: HelpdeskActor }
  | { kind: 'close'; thread: string; actor: HelpdeskActor; idempotencyKey?: string }
  | { kind: 'handback'; thread: string; actor: HelpdeskActor; step: string; idempotencyKey?: string }
  | { kind: 'reply'; thread: string; actor: HelpdeskActor; text: string; idempotencyKey?: string };

export interface HandoffServiceOptions {
  store: HandoffStore;
  /** The step ids an agent may hand back to or start at (STEPS.md, in guide order). */
  steps: readonly string[];
  /** Steps that act on a company: a guide an agent starts cannot open there (no companies yet). */
  companySteps?: readonly string[];
  /** HELPDESK_AGENTS: who may act as an agent; empty: every member of the helpdesk channel. */
  agents?: readonly string[];
  /** How long one instance may take to post a hand-off before another may (default 30 s). */
  postLeaseMs?: number;
  log?: HandoffLog;
  /** For the records' creation time (the engine's clock). */
  now?: () => number;
}

const silent: HandoffLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * The agent side of a hand-off, channel-neutral: posts hand-off requests to a helpdesk
 * (Slack or Teams, whichever is configured), relays the customer's words into the post's
 * thread, and turns agents' actions there into turns of the customer's conversation.
 */
export class HandoffService {
  private readonly helpdesks = new Map<HelpdeskPlatform, HelpdeskPort>();
  private readonly gate: AgentGate;
  private readonly log: HandoffLog;
  private turns?: TurnHandler;

  constructor(private readonly options: HandoffServiceOptions) {
    this.log = options.log ?? silent;
    this.gate = new AgentGate(
      options.agents ?? [],
      (actor) => this.helpdesks.get(actor.platform)?.isMember(actor) ?? Promise.resolve(false),
    );
  }

  /** Gives the service the engine's turns (bound late: the engine needs `deliver`). */
  attach(turns: TurnHandler): void {
    this.turns = turns;
  }

  /** An adapter with a configured helpdesk channel registers it here. */
  registerHelpdesk(port: HelpdeskPort): void {
    this.helpdesks.set(port.platform, port);
  }

  /** Whether this user may act as an agent (HELPDESK_AGENTS, else helpdesk-channel membership). */
  isAgent(actor: HelpdeskActor): Promise<boolean> {
    return this.gate.allows(actor);
  }

  /** Which helpdesks are configured (logs, tests). */
  get platforms(): HelpdeskPlatform[] {
    return [...this.helpdesks.keys()];
  }

  /** The engine's Deliver for helpdesk-audience messages (main.ts routes them here). */
  readonly deliver = async (delivery: Delivery): Promise<void> => {
    const message = delivery.message as HelpdeskMessage;
    switch (message.kind) {
      case 'handoff.request':
        return this.postRequest(delivery, message);
      case 'handoff.relay':
        return this.note(delivery, { from: 'customer', text: message.text });
      case 'handoff.rejected':
        return this.note(delivery, { from: 'bot', text: `hand-back to ${message.step} refused: ${message.reason}` });
      case 'handoff.resumed':
        return this.note(delivery, { from: 'bot', text: `handed back to ${message.step} by ${message.agentName}` });
      case 'handoff.undeliverable':
        return this.note(delivery, { from: 'bot', text: UNDELIVERABLE_RELAY });
    }
  };

  /** An agent's action on a hand-off's thread, as both helpdesks read it from their platform. */
  act(action: AgentAction): Promise<ActionOutcome> {
    switch (action.kind) {
      case 'take':
        return this.take(action.thread, action.actor);
      case 'close':
        return this.close(action.thread, action.actor, action.idempotencyKey);
      case 'handback':
        return this.handBack(action.thread, action.actor, action.step, action.idempotencyKey);
      case 'reply':
        return this.agentText(action.thread, action.actor, action.text, action.idempotencyKey);
    }
  }

  /** "Take it": exactly one agent becomes the owner; the customer is told a person is there. */
  async take(thread: string, actor: HelpdeskActor): Promise<ActionOutcome> {
    const found = await this.findForAction(thread, actor);
    if ('status' in found) return found;
    const { record, agent } = found;
    const taken = await this.options.store.take(record.requestId, agent);
    if (taken.outcome === 'owned') {
      const mine = sameAgent(taken.owner, agent);
      return {
        status: mine ? 'duplicate' : 'refused',
        message: mine ? 'You already have this hand-off.' : `${taken.owner.name} has already taken this hand-off.`,
        key: record.key,
      };
    }
    if (taken.outcome !== 'taken')
      return { status: 'refused', message: 'This hand-off is already over.', key: record.key };
    try {
      await this.turn(
        record,
        { type: 'agent.accepted', agentName: agent.name },
        `handoff:${record.requestId}:accepted`,
      );
    } catch (error) {
      await this.options.store.release(record.requestId, agent).catch(() => undefined);
      throw error;
    }
    await this.redraw(record.requestId);
    return { status: 'done', key: record.key };
  }

  /** "Hand back at <step>": the bot resumes there, unless the flow finds the step does not fit. */
  async handBack(thread: string, actor: HelpdeskActor, step: string, idempotencyKey?: string): Promise<ActionOutcome> {
    const found = await this.findForAction(thread, actor);
    if ('status' in found) return found;
    const { record, agent } = found;
    // "<step>#<index>": the agent picked which company a company step resumes.
    const picked = readHandBack(step);
    const refused =
      this.ownerCheck(record, agent) ??
      (this.options.steps.includes(picked.step) ? undefined : `"${step}" is not a step of the guide.`);
    if (refused) return { status: 'refused', message: refused, key: record.key };
    const event = { type: 'agent.handback' as const, step: picked.step, agentName: agent.name };
    const result = await this.turn(
      record,
      picked.company === undefined ? event : { ...event, company: picked.company },
      idempotencyKey,
    );
    if (result.status === 'duplicate') return { status: 'duplicate', key: record.key };
    // The flow said why in the thread (handoff.rejected); the hand-off stays open.
    if (result.messages.some((message) => message.kind === 'handoff.rejected'))
      return { status: 'rejected', key: record.key };
    await this.options.store.finish(record.requestId, 'resumed', { by: agent.name, step });
    await this.redraw(record.requestId);
    return { status: 'done', key: record.key };
  }

  /** "Close": the customer goes back to where they were with the bot. */
  async close(thread: string, actor: HelpdeskActor, idempotencyKey?: string): Promise<ActionOutcome> {
    const found = await this.findForAction(thread, actor);
    if ('status' in found) return found;
    const { record, agent } = found;
    const refused = this.ownerCheck(record, agent);
    if (refused) return { status: 'refused', message: refused, key: record.key };
    const result = await this.turn(record, { type: 'agent.closed', agentName: agent.name }, idempotencyKey);
    if (result.status === 'duplicate') return { status: 'duplicate', key: record.key };
    await this.options.store.finish(record.requestId, 'closed', { by: agent.name });
    await this.redraw(record.requestId);
    return { status: 'done', key: record.key };
  }

  /**
   * A reply in a hand-off's thread. Only the owner's words reach the customer; before
   * anyone took it the writer is told to take it first; others talk among themselves.
   */
  async agentText(thread: string, actor: HelpdeskActor, text: string, idempotencyKey?: string): Promise<ActionOutcome> {
    const record = await this.options.store.byThread(thread);
    // Judged as the engine will see it: a reply of control characters only is empty.
    if (!record || record.state !== 'open' || !cleanText(text).trim()) return { status: 'ignored' };
    if (!record.owner)
      return {
        status: 'ignored',
        message: 'Take the hand-off first: then your replies in this thread reach the customer.',
        key: record.key,
      };
    if (!sameAgent(record.owner, agentOf(actor))) return { status: 'ignored', key: record.key };
    const result = await this.turn(record, { type: 'agent.text', agentName: record.owner.name, text }, idempotencyKey);
    return { status: result.status === 'duplicate' ? 'duplicate' : 'done', key: record.key };
  }

  /**
   * An agent starts the guide for a customer, at `step` if given. `requireExisting`: the
   * channel can only reach customers it already has a conversation with (Teams).
   */
  async startGuide(
    actor: HelpdeskActor,
    key: ConversationKey,
    options: {
      step?: string;
      requireExisting?: boolean;
      idempotencyKey?: string;
      reference?: unknown;
      locale?: Inbound['locale'];
    } = {},
  ): Promise<ActionOutcome> {
    if (!(await this.gate.allows(actor)))
      return { status: 'refused', message: 'Only helpdesk agents can start the guide for someone.' };
    const { step } = options;
    if (step !== undefined && !this.options.steps.includes(step))
      return { status: 'refused', message: `"${step}" is not a step of the guide.` };
    const existing = await this.requireTurns().status(key);
    if (!existing && options.requireExisting)
      return {
        status: 'refused',
        message: 'The bot has no conversation with this person yet: they need to open the app once.',
      };
    if (!existing && step && this.options.companySteps?.includes(step)) {
      return { status: 'refused', message: `"${step}" needs the customer's companies: start at an earlier step.` };
    }
    const inbound: Inbound = {
      key,
      event: { type: 'session.start', ...(step ? { step } : {}) },
      idempotencyKey: options.idempotencyKey,
      reference: options.reference,
      locale: options.locale,
    };
    const result = await this.requireTurns().handle(inbound);
    this.log.info(
      { conversationId: conversationId(key), step: result.step, by: actor.platform },
      'handoff: an agent started the guide',
    );
    return { status: result.status === 'duplicate' ? 'duplicate' : 'done', key };
  }

  private async postRequest(
    delivery: Delivery,
    message: Extract<HelpdeskMessage, { kind: 'handoff.request' }>,
  ): Promise<void> {
    const port = this.helpdeskFor(delivery.key);
    if (!port) {
      // Nobody can take it: tell the customer now (the flow's timeout path) rather than after HANDOFF_TIMEOUT.
      this.log.warn(
        { conversationId: delivery.conversationId },
        'handoff: no helpdesk is configured; the customer is told nobody is free',
      );
      const idempotencyKey = `no-helpdesk:${delivery.conversationId}:${delivery.outboxItemId ?? ''}`;
      await this.requireTurns().handle({ key: delivery.key, event: { type: 'agent.timeout' }, idempotencyKey });
      return;
    }
    const { store } = this.options;
    const requestId = requestIdOf(delivery, message);
    const status = await this.turns?.status(delivery.key).catch(() => undefined);
    const record = {
      requestId,
      conversationId: delivery.conversationId,
      key: delivery.key,
      platform: port.platform,
      card: cardBase(delivery.key, message.summary, status),
      createdAt: (this.options.now ?? Date.now)(),
    };
    await this.supersede(delivery.conversationId, requestId);
    const opened = await store.open(record, this.options.postLeaseMs ?? 30_000);
    if (opened === 'posted') return;
    if (opened === 'busy')
      throw new AppError('tsid_delivery_failed', `hand-off ${requestId} is being posted by another instance`);
    try {
      const post = await port.post(
        cardOf({ ...record, state: 'open' }, this.options.steps, this.options.companySteps),
        delivery,
      );
      await store.attachPost(requestId, post);
    } catch (error) {
      await store.releaseClaim(requestId).catch(() => undefined);
      throw asAppError(error, 'tsid_delivery_failed');
    }
  }

  /** A new request replaces one nobody took (it timed out and the customer asked again): its post says so. */
  private async supersede(conversation: string, requestId: string): Promise<void> {
    const previous = await this.options.store.current(conversation);
    if (!previous || previous.requestId === requestId || previous.state !== 'open' || previous.owner) return;
    await this.options.store.finish(previous.requestId, 'closed', { by: 'a newer request' });
    await this.redraw(previous.requestId);
  }

  /** A line in the current hand-off's thread. Until the post exists it fails, so the outbox keeps it (in order). */
  private async note(delivery: Delivery, note: ThreadNote): Promise<void> {
    const record = await this.options.store.current(delivery.conversationId);
    if (!record) {
      this.log.warn(
        { conversationId: delivery.conversationId },
        'handoff: no hand-off for this conversation; message dropped',
      );
      return;
    }
    if (!record.post) throw new AppError('tsid_delivery_failed', `hand-off ${record.requestId} is not posted yet`);
    const port = this.helpdesks.get(record.platform);
    if (!port) throw new AppError('tsid_delivery_failed', `the ${record.platform} helpdesk is not configured`);
    await port.reply(record.post, note);
  }

  private async findForAction(
    thread: string,
    actor: HelpdeskActor,
  ): Promise<{ record: HandoffRecord; agent: HandoffAgent } | ActionOutcome> {
    if (!(await this.gate.allows(actor)))
      return { status: 'refused', message: 'Only helpdesk agents can act on hand-offs.' };
    const record = await this.options.store.byThread(thread);
    if (!record) return { status: 'ignored', message: 'This hand-off is not known (any more).' };
    if (record.state !== 'open')
      return { status: 'refused', message: 'This hand-off is already over.', key: record.key };
    return { record, agent: agentOf(actor) };
  }

  /** Anyone may hand back or close a hand-off nobody took; once taken, only its owner. */
  private ownerCheck(record: HandoffRecord, agent: HandoffAgent): string | undefined {
    return record.owner && !sameAgent(record.owner, agent)
      ? `${record.owner.name} has this hand-off: only they can hand back or close it.`
      : undefined;
  }

  private turn(record: HandoffRecord, event: Inbound['event'], idempotencyKey?: string): Promise<TurnResult> {
    return this.requireTurns().handle({ key: record.key, event, idempotencyKey });
  }

  /** Best effort: the action is done whether or not the card could be redrawn. */
  private async redraw(requestId: string): Promise<void> {
    const record = await this.options.store.get(requestId);
    const port = record && this.helpdesks.get(record.platform);
    if (!record?.post || !port) return;
    await port
      .update(record.post, cardOf(record, this.options.steps, this.options.companySteps))
      .catch((error: unknown) => {
        this.log.warn(
          { conversationId: record.conversationId, code: asAppError(error, 'tsid_delivery_failed').code },
          'handoff: could not redraw the post',
        );
      });
  }

  /** The customer's own platform when it has a helpdesk, else the other one. */
  private helpdeskFor(key: ConversationKey): HelpdeskPort | undefined {
    return (
      (key.channel !== 'local' ? this.helpdesks.get(key.channel) : undefined) ??
      this.helpdesks.get('slack') ??
      this.helpdesks.get('teams')
    );
  }

  private requireTurns(): TurnHandler {
    if (!this.turns) throw new AppError('tsid_internal', 'the hand-off service acted before attach(engine)');
    return this.turns;
  }
}

function agentOf(actor: HelpdeskActor): HandoffAgent {
  return { platform: actor.platform, id: actor.id, name: actor.name };
}

function sameAgent(a: HandoffAgent, b: HandoffAgent): boolean {
  return a.platform === b.platform && a.id === b.id;
}

/**
 * Stable across redeliveries of one outbox item; the digest keeps two requests apart even
 * if a conversation was erased and its revisions started again.
 */
function requestIdOf(delivery: Delivery, message: Extract<HelpdeskMessage, { kind: 'handoff.request' }>): string {
  const digest = createHash('sha256').update(JSON.stringify(message.summary)).digest('hex').slice(0, 12);
  return `${delivery.conversationId}#${delivery.outboxItemId ?? 'x'}.${digest}`;
}
