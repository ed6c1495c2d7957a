import { AppError, asAppError } from '../errors.js';
import type { Clock } from '../scheduler/clock.js';
import type { ReminderScheduler } from '../scheduler/reminder-scheduler.js';
import type { ConversationRecord, ConversationStore, DeliveryMark, OutboxItem } from '../store/conversation-store.js';
import type { FlowDefinition } from '../contract/flow-definition.js';
import {
  conversationId,
  type AuditEntry,
  type ConversationKey,
  type FlowEffect,
  type InboundEvent,
  type Locale,
  type OutboundMessage,
  type PromptMessage,
  type StatusView,
} from '../contract/messages.js';
import { ackSent } from './ack-sent.js';
import { cleanInboundEvent } from './clean-inbound.js';
import { isRejected, noticeFor, type DeadLetterReport } from './dead-letters.js';
import { PerKeyQueue } from './per-key-queue.js';
import { expand, restore, runTurn, type TurnOutcome } from './run-turn.js';
import { newIncarnation, SnapshotCache } from './snapshot-cache.js';

/** One inbound delivery from an adapter or the runtime. */
export interface Inbound {
  key: ConversationKey;
  event: InboundEvent;
  /**
   * Slack `event_id` / action id, Teams `activity.id`, reminder id: a repeat is a no-op once
   * a turn with this key was saved (the key is saved with it).
   */
  idempotencyKey?: string;
  /** The adapter's delivery address; stored with the record, latest wins. */
  reference?: unknown;
  /** The platform's idea of the user's language, for a new conversation. */
  locale?: Locale;
  /**
   * The turn runs only when this accepts the reference stored with the conversation
   * (undefined: none yet); otherwise nothing is written and the result is `refused`. A click
   * names its own channel: it is answered only where the conversation already lives.
   */
  onlyIf?: (storedReference: unknown) => boolean | Promise<boolean>;
  /**
   * The channel's own data for after the turn, which the engine does not read: a turn that
   * waits in the overflow inbox carries it to whichever process runs it (a Slack click: the
   * message to mark answered).
   */
  followUp?: unknown;
}

/** Where one outbound message goes; `reference` is what the adapter stored. */
export interface Delivery {
  key: ConversationKey;
  conversationId: string;
  reference: unknown;
  message: OutboundMessage;
  /** The outbox item this delivery comes from (`<revision>.<index>`): the same on a redelivery. */
  outboxItemId?: string;
}

export type Deliver = (delivery: Delivery) => Promise<void>;

/**
 * Rewrites a message just before it is sent, e.g. attaching a personal login link. It may
 * write outside the record, so it runs after the turn is saved, once per delivery attempt,
 * never inside the compare-and-set retries.
 */
export type PrepareMessage = (message: OutboundMessage, key: ConversationKey) => Promise<OutboundMessage>;

export interface EngineOptions {
  flow: FlowDefinition;
  store: ConversationStore;
  scheduler: ReminderScheduler;
  clock: Clock;
  deliver: Deliver;
  prepareMessage?: PrepareMessage;
  /** How long an inbound idempotency key is remembered after its turn was saved (default 10 minutes, past the platforms' retries). */
  idempotencyTtlMs?: number;
  /** How long one instance may hold an outbox item before another may retry it (default 30 s). */
  outboxLeaseMs?: number;
  onError?: (error: AppError, conversationId: string) => void;
  /** A saved turn's audit line (an identity bound to the conversation): log it. */
  onAudit?: (entry: AuditEntry, conversationId: string) => void;
  /** A save lost the compare-and-set and the turn runs again on the fresh record (metrics, tests). */
  onConflict?: (conversationId: string) => void;
  /** A message the platform refused for good went to the dead-letter list (count it, log it once). */
  onDeadLetter?: (report: DeadLetterReport) => void;
  /**
   * How many conversations keep their last live snapshot in this process, so their next turn
   * skips the restore (default 5,000; 0: none). See src/engine/snapshot-cache.ts.
   */
  snapshotCacheSize?: number;
}

export interface TurnResult {
  /**
   * `ignored`: a reminder for a conversation that is gone (erased while the reminder was on its way).
   * `refused`: `onlyIf` did not accept the stored reference; nothing was written.
   * `deferred`: not run now: past the process's budget, written to the overflow inbox to run
   * later, or refused before acknowledgement for the platform to retry (src/app/overflow.ts).
   */
  status: 'done' | 'duplicate' | 'erased' | 'ignored' | 'refused' | 'deferred';
  step?: string;
  revision?: number;
  /**
   * The messages this turn committed, as the flow wrote them (delivered unless delivery
   * failed; then retried). Login links are attached as each is sent.
   */
  messages: OutboundMessage[];
  /** For a click on the question being asked: that question, rebuilt by the flow (redraw the clicked message from it). */
  answered?: PromptMessage;
}

const MAX_ATTEMPTS = 8;
/** Conflicts mean other turns succeeded: keep trying this long before giving up (a burst drains). */
const CONFLICT_BUDGET_MS = 5000;

/**
 * Runs turns: load, transition, save with compare-and-set together with an outbox,
 * then deliver the outbox. Nothing leaves before the save succeeded.
 */
export class ConversationEngine {
  private readonly idempotencyTtlMs: number;
  private readonly outboxLeaseMs: number;
  private readonly turns = new PerKeyQueue();
  private readonly reacks = new Set<Promise<void>>();
  private readonly snapshots: SnapshotCache;

  constructor(private readonly options: EngineOptions) {
    this.idempotencyTtlMs = options.idempotencyTtlMs ?? 600_000;
    this.outboxLeaseMs = options.outboxLeaseMs ?? 30_000;
    this.snapshots = new SnapshotCache(options.snapshotCacheSize);
  }

  get flow(): FlowDefinition {
    return this.options.flow;
  }

  /**
   * One turn. Rejects with `tsid_store_unavailable` when the store is down, and with
   * `tsid_flow_version` when a newer deploy saved the conversation (nothing is written then).
   * Typed text in the event goes through `cleanText` first (src/contract/text-hygiene.ts).
   */
  async handle(received: Inbound): Promise<TurnResult> {
    const inbound = { ...received, event: cleanInboundEvent(received.event) };
    const id = conversationId(inbound.key);
    let committed: Committed;
    try {
      committed = await this.turns.run(id, () => this.commit(id, inbound));
    } catch (error) {
      throw asAppError(error); // stores reject with their own codes; anything else is a bug
    }
    if (committed.status === 'duplicate' || committed.status === 'ignored' || committed.status === 'refused')
      return { status: committed.status, messages: [] };
    const answered = committed.answered ? { answered: committed.answered } : {};
    if (committed.status === 'erased') {
      await this.sayGoodbye(inbound, committed.reference, committed.messages);
      return { status: 'erased', messages: committed.messages, ...answered };
    }
    // The turn is saved: a failed send stays in the outbox for the sweeper, it does not undo the turn.
    const sending = committed.leased ? this.sendLeased(id, committed.record, committed.outbox) : this.flush(id);
    await sending.catch((error) => this.options.onError?.(asAppError(error, 'tsid_store_unavailable'), id));
    return {
      status: 'done',
      step: committed.step,
      revision: committed.revision,
      messages: committed.messages,
      ...answered,
    };
  }

  /** Loads a conversation's record (status views, hand-off summaries). */
  load(key: ConversationKey): Promise<ConversationRecord | undefined> {
    return this.options.store.load(conversationId(key));
  }

  /** Where the customer is in the guide; undefined for a conversation never started. */
  async status(key: ConversationKey): Promise<StatusView | undefined> {
    const record = await this.load(key);
    if (!record || record.flowVersion !== this.options.flow.version) return undefined;
    return this.options.flow.status(restore(this.options.flow, record.snapshot));
  }

  /** Erases everything kept about a conversation: record, outbox, reminders. */
  async erase(key: ConversationKey): Promise<void> {
    const id = conversationId(key);
    this.snapshots.delete(id);
    await this.options.scheduler.cancelAll(id);
    await this.options.store.erase(id);
  }

  /**
   * Delivers a conversation's pending outbox in order. Stops at the first item another
   * instance holds or that fails, so order is kept; a failed item stays for a retry,
   * unless the platform refused it for good (then it goes to the dead letters and the rest
   * goes on). Reads the outbox again after each pass: turns that stopped at an item this
   * call held left their items to it.
   */
  async flush(id: string): Promise<void> {
    const { store } = this.options;
    for (;;) {
      const items = await store.pendingOutbox(id);
      if (items.length === 0) return;
      const record = await store.load(id);
      for (const item of items) {
        if (!(await store.claimOutboxItem(id, item.id, this.outboxLeaseMs))) return;
        try {
          await this.perform(id, record, item);
        } catch (error) {
          if (await this.setAside(id, record, item, error)) break; // its notice (if any) is in its place: read again
          return;
        }
        if ((await this.acknowledge(id, [item.id])) === undefined) return; // the re-ack flushes the rest when it lands
      }
    }
  }

  /** Re-acks running in the background (a graceful shutdown waits for them). */
  get pendingAcks(): number {
    return this.reacks.size;
  }

  /**
   * Acknowledges items this instance delivered. When the ack fails (Redis slow or down), the
   * turn does not wait: `ackSent` retries in the background, renewing the items' lease so no
   * sweeper re-sends them, then delivers what came after. Resolves with how many items the ack
   * removed, or undefined when it was left to the background.
   */
  private async acknowledge(id: string, itemIds: string[]): Promise<number | undefined> {
    const { store } = this.options;
    try {
      return await store.ackOutboxItems(id, itemIds);
    } catch {
      const reack = ackSent(store, id, itemIds, this.outboxLeaseMs)
        .then(() => this.flush(id))
        .catch((error) => this.options.onError?.(asAppError(error, 'tsid_store_unavailable'), id))
        .finally(() => this.reacks.delete(reack));
      this.reacks.add(reack);
      return undefined;
    }
  }

  /**
   * Sends the items a save just leased to this instance, in order, without claiming or
   * reading anything, and acknowledges the sent ones in one write. On a failure the rest is
   * released for the sweeper. Items found after them (a turn that saved meanwhile and left
   * its items to us) go through `flush`.
   */
  private async sendLeased(id: string, record: ConversationRecord, items: OutboxItem[]): Promise<void> {
    const { store } = this.options;
    const sent: string[] = [];
    try {
      for (const item of items) {
        await this.perform(id, record, item);
        sent.push(item.id);
      }
    } catch (error) {
      const failed = items[sent.length];
      const rest = items.slice(sent.length + 1).map((item) => item.id);
      const dead = await this.setAside(id, record, failed, error);
      await store.releaseOutboxItems(id, rest).catch(() => undefined);
      const acked = sent.length === 0 || (await this.acknowledge(id, sent)) !== undefined;
      if (dead && acked) await this.flush(id);
      return;
    }
    if (((await this.acknowledge(id, sent)) ?? 0) > 0) await this.flush(id);
  }

  /**
   * A failed item: refused for good (an adapter's `tsid_delivery_rejected`), it moves to
   * the dead letters with a notice in its place, and true is returned (go on); otherwise
   * it is released for a retry and reported, and false is returned (stop, to keep order).
   */
  private async setAside(
    id: string,
    record: ConversationRecord | undefined,
    item: OutboxItem,
    error: unknown,
  ): Promise<boolean> {
    const { store, flow, clock } = this.options;
    const failure = asAppError(error, 'tsid_delivery_failed');
    if (!isRejected(failure) || item.type !== 'message') {
      await store.releaseOutboxItems(id, [item.id]).catch(() => undefined);
      this.options.onError?.(failure, id);
      return false;
    }
    const reason = failure.reason ?? 'rejected';
    const notice = noticeFor(flow, record, item);
    if (await store.deadLetter(id, item.id, { code: failure.code, reason, at: clock.now() }, notice)) {
      const channel = record?.key.channel ?? (id.split(':')[0] as DeadLetterReport['channel']);
      const report = { conversationId: id, channel, itemId: item.id, kind: item.message.kind, code: failure.code };
      this.options.onDeadLetter?.({ ...report, reason, notice: notice !== undefined });
    }
    return true;
  }

  /** After an erasure there is no record or outbox left: the last words go out directly. */
  private async sayGoodbye(inbound: Inbound, reference: unknown, messages: OutboundMessage[]) {
    const id = conversationId(inbound.key);
    for (const message of messages) {
      await this.prepare(message, inbound.key)
        .then((prepared) =>
          this.options.deliver({ key: inbound.key, conversationId: id, reference, message: prepared }),
        )
        .catch((error) => this.options.onError?.(asAppError(error, 'tsid_delivery_failed'), id));
    }
  }

  private async perform(id: string, record: ConversationRecord | undefined, item: OutboxItem) {
    const { scheduler } = this.options;
    if (item.type === 'reminder.cancel') return scheduler.cancel(id, item.reminderId);
    if (!record) return; // erased meanwhile: nothing to deliver to
    if (item.type === 'reminder.schedule') {
      return scheduler.schedule({
        conversationId: id,
        key: record.key,
        reminderId: item.reminderId,
        dueAt: item.dueAt,
      });
    }
    const message = await this.prepare(item.message, record.key);
    await this.options.deliver({
      key: record.key,
      conversationId: id,
      reference: record.reference,
      message,
      outboxItemId: item.id,
    });
  }

  private prepare(message: OutboundMessage, key: ConversationKey): Promise<OutboundMessage> {
    const { prepareMessage } = this.options;
    return prepareMessage ? prepareMessage(message, key) : Promise.resolve(message);
  }

  private async commit(id: string, inbound: Inbound): Promise<Committed> {
    const { store, flow, clock } = this.options;
    const delivery: DeliveryMark | undefined = inbound.idempotencyKey
      ? { key: inbound.idempotencyKey, ttlMs: this.idempotencyTtlMs }
      : undefined;
    const started = Date.now();
    for (let attempt = 1; attempt <= MAX_ATTEMPTS || Date.now() - started < CONFLICT_BUDGET_MS; attempt++) {
      if (attempt > 1) {
        this.options.onConflict?.(id);
        await backoff(attempt);
      }
      const { record: current, seen } = await store.loadTurn(id, delivery?.key);
      if (seen) return { status: 'duplicate' };
      if (inbound.onlyIf && !(await inbound.onlyIf(current?.reference))) return { status: 'refused' };
      // Reminding a conversation that no longer exists would start a new one, with a welcome, for a customer who erased it.
      if (!current && inbound.event.type === 'reminder.due') return { status: 'ignored' };
      refuseNewerVersion(id, current, flow);
      const now = clock.now();
      const outcome = this.turn(id, current, inbound, now);
      const messages = outcome.effects.flatMap((effect) => (effect.type === 'message' ? [effect.message] : []));
      if (outcome.effects.some((effect) => effect.type === 'data.erase')) {
        await this.erase(inbound.key);
        return {
          status: 'erased',
          messages,
          reference: inbound.reference ?? current?.reference,
          answered: outcome.answered,
        };
      }
      const revision = (current?.revision ?? 0) + 1;
      const record: ConversationRecord = {
        key: inbound.key,
        flowId: flow.id,
        flowVersion: flow.version,
        revision,
        // Kept from the conversation's start; a record from before incarnations gets one now.
        incarnation: current?.incarnation ?? newIncarnation(),
        snapshot: outcome.snapshot,
        reference: inbound.reference ?? current?.reference,
        updatedAt: now,
      };
      const outbox = toOutbox(revision, outcome.effects, messages, now);
      const saved = await store.save(record, current?.revision ?? 0, outbox, { delivery, leaseMs: this.outboxLeaseMs });
      if (saved === 'seen') return { status: 'duplicate' };
      if (saved === 'saved' || saved === 'leased') {
        const leased = saved === 'leased';
        this.snapshots.set(id, record, outcome.live);
        for (const effect of outcome.effects) if (effect.type === 'audit') this.options.onAudit?.(effect.entry, id);
        return {
          status: 'done',
          messages,
          step: outcome.step,
          revision,
          record,
          outbox,
          leased,
          answered: outcome.answered,
        };
      }
    }
    throw new AppError('tsid_store_conflict', `conversation ${id} kept changing for ${CONFLICT_BUDGET_MS} ms`);
  }

  private turn(id: string, current: ConversationRecord | undefined, inbound: Inbound, now: number): TurnOutcome {
    const { flow } = this.options;
    // An agent-started guide opens a brand-new conversation at the step asked for.
    const step = inbound.event.type === 'session.start' ? inbound.event.step : undefined;
    const start = { locale: inbound.locale, now, ...(step ? { step } : {}) };
    // No record, yet a click on a question asked before: the record was lost (a flush, a restart without persistence).
    if (!current && flow.continues?.(inbound.event))
      return runTurn(flow, undefined, { type: 'session.start' }, { ...start, recordLost: true });
    if (!current) return runTurn(flow, undefined, inbound.event, start);
    if (current.flowVersion === flow.version)
      return runTurn(flow, current.snapshot, inbound.event, start, this.snapshots.get(id, current));
    const upgraded = flow.upgrade?.(expand(flow, current.snapshot), current.flowVersion);
    if (upgraded && 'snapshot' in upgraded) return runTurn(flow, upgraded.snapshot, inbound.event, start);
    const fallbackStep = upgraded?.fallbackStep;
    const restart = { ...start, step: fallbackStep, guideChanged: true };
    return runTurn(flow, undefined, { type: 'session.start', step: fallbackStep }, restart);
  }
}

type Committed =
  | { status: 'duplicate' }
  | { status: 'ignored' }
  | { status: 'refused' }
  | { status: 'erased'; messages: OutboundMessage[]; reference: unknown; answered?: PromptMessage }
  | {
      status: 'done';
      messages: OutboundMessage[];
      answered?: PromptMessage;
      step: string;
      revision: number;
      record: ConversationRecord;
      outbox: OutboxItem[];
      leased: boolean;
    };

/**
 * A record saved by a newer flow version belongs to a newer deploy (a rolling deploy is
 * under way): this instance must not rewrite it, or the customer would be reset.
 */
function refuseNewerVersion(id: string, current: ConversationRecord | undefined, flow: FlowDefinition): void {
  if (current && current.flowVersion > flow.version) {
    throw new AppError(
      'tsid_flow_version',
      `conversation ${id} was saved by flow version ${current.flowVersion}; this instance runs ${flow.version}`,
    );
  }
}

/** A short random pause, so instances that collided do not collide again in lockstep. */
function backoff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2 ** attempt, 50)));
}

function toOutbox(revision: number, effects: FlowEffect[], messages: OutboundMessage[], now: number): OutboxItem[] {
  const queue = [...messages];
  return effects.flatMap((effect, index): OutboxItem[] => {
    const id = `${revision}.${index}`;
    switch (effect.type) {
      case 'message':
        return [{ id, type: 'message', message: queue.shift()! }];
      case 'reminder.schedule':
        return [{ id, type: 'reminder.schedule', reminderId: effect.reminderId, dueAt: now + effect.delayMs }];
      case 'reminder.cancel':
        return [{ id, type: 'reminder.cancel', reminderId: effect.reminderId }];
      case 'data.erase':
      case 'audit':
        return [];
    }
  });
}
