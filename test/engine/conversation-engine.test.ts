import { describe, expect, it } from '@jest/globals';
import { createMachine, emit } from 'xstate';
import { createTsidFlow } from '../../flows/tsid-digital-invoice/index.js';
import {
  ConversationEngine,
  type ConversationKey,
  type Delivery,
  type FlowDefinition,
  type PrepareMessage,
} from '../../src/engine/index.js';
import { AppError } from '../../src/errors.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { ReminderRunner } from '../../src/engine/reminder-runner.js';
import { MemoryReminderScheduler } from '../../src/scheduler/reminder-scheduler.js';
import { MemoryConversationStore, type ConversationStore } from '../../src/store/conversation-store.js';

const key: ConversationKey = { channel: 'local', tenant: 't', user: 'u' };

interface SetupOptions {
  store?: ConversationStore;
  deliver?: (d: Delivery) => Promise<void>;
  flow?: FlowDefinition;
  prepareMessage?: PrepareMessage;
  onConflict?: () => void;
}

function setup(options: SetupOptions = {}) {
  const clock = new ManualClock();
  const delivered: Delivery[] = [];
  const store = options.store ?? new MemoryConversationStore(() => clock.now());
  const scheduler = new MemoryReminderScheduler();
  const engine = new ConversationEngine({
    flow: options.flow ?? createTsidFlow(),
    store,
    scheduler,
    clock,
    deliver: options.deliver ?? (async (delivery) => void delivered.push(delivery)),
    prepareMessage: options.prepareMessage,
    onConflict: options.onConflict,
  });
  const texts = () => delivered.map((d) => (d.message.kind === 'prompt' ? d.message.text : d.message.kind));
  return {
    clock,
    store,
    scheduler,
    engine,
    delivered,
    texts,
    runner: new ReminderRunner({ engine, scheduler, clock }),
  };
}

/**
 * A memory store that, once armed, holds the next two turn loads until both have read: two
 * engines then work from the same revision, so exactly one of their saves must lose.
 */
function storeWhereTwoTurnsReadTheSameRevision() {
  const memory = new MemoryConversationStore();
  let waiting: (() => void)[] | undefined;
  const store: ConversationStore = Object.assign(Object.create(memory), {
    loadTurn: async (...args: Parameters<ConversationStore['loadTurn']>) => {
      const loaded = await memory.loadTurn(...args);
      if (!waiting) return loaded;
      const gate = waiting;
      await new Promise<void>((resolve) => {
        gate.push(resolve);
        if (gate.length === 2) {
          waiting = undefined;
          gate.forEach((release) => release());
        }
      });
      return loaded;
    },
  });
  return { store, loadedTogether: { arm: () => void (waiting = []) } };
}

const say = (text: string, idempotencyKey?: string) => ({
  key,
  event: { type: 'user.text' as const, text },
  idempotencyKey,
});

describe('ConversationEngine', () => {
  it('re-runs a turn that lost the compare-and-set to another engine, losing neither answer', async () => {
    const { store, loadedTogether } = storeWhereTwoTurnsReadTheSameRevision();
    let conflicts = 0;
    const first = setup({ store, onConflict: () => void conflicts++ });
    const second = setup({ store, onConflict: () => void conflicts++ });
    await first.engine.handle(say('ciao'));
    loadedTogether.arm();
    const results = await Promise.all([first.engine.handle(say('stato')), second.engine.handle(say('aiuto'))]);
    expect(results.map((result) => result.status)).toEqual(['done', 'done']);
    expect(conflicts).toBe(1);
    expect((await store.load('local:t:u'))?.revision).toBe(3);
    expect(results.every((result) => result.messages.length > 0)).toBe(true);
    const delivered = [...first.delivered, ...second.delivered].map((d) => d.message);
    expect(delivered).toEqual(expect.arrayContaining([...results[0].messages, ...results[1].messages]));
  });

  it('processes the retry of a delivery whose turn died before its save', async () => {
    const memory = new MemoryConversationStore();
    const dying: ConversationStore = Object.assign(Object.create(memory), {
      save: () => new Promise<never>(() => undefined), // the process dies here: the save never happens
    });
    const crashed = setup({ store: dying });
    void crashed.engine.handle(say('ciao', 'ev-crash'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    const survivor = setup({ store: memory });
    expect((await survivor.engine.handle(say('ciao', 'ev-crash'))).status).toBe('done');
    expect(survivor.delivered).toHaveLength(1);
    expect((await survivor.engine.handle(say('ciao', 'ev-crash'))).status).toBe('duplicate');
  });

  it('prepares each message once, when it is sent, however many compare-and-sets the turn lost', async () => {
    const { store, loadedTogether } = storeWhereTwoTurnsReadTheSameRevision();
    let prepared = 0;
    let conflicts = 0;
    const prepareMessage: PrepareMessage = async (message) => (prepared++, message);
    const first = setup({ store, prepareMessage, onConflict: () => void conflicts++ });
    const second = setup({ store, prepareMessage, onConflict: () => void conflicts++ });
    await first.engine.handle(say('ciao'));
    loadedTogether.arm();
    const results = await Promise.all([first.engine.handle(say('stato')), second.engine.handle(say('aiuto'))]);
    expect(conflicts).toBe(1);
    const committed = 1 + results[0].messages.length + results[1].messages.length; // the greeting, then each answer's
    expect(first.delivered.length + second.delivered.length).toBe(committed);
    expect(prepared).toBe(committed);
  });

  it('treats a repeated idempotency key as a no-op', async () => {
    const { engine, delivered } = setup();
    expect((await engine.handle(say('ciao', 'ev-1'))).status).toBe('done');
    expect((await engine.handle(say('ciao', 'ev-1'))).status).toBe('duplicate');
    expect(delivered).toHaveLength(1);
  });

  it('hands nothing out when the save fails, and lets the retried delivery through', async () => {
    const memory = new MemoryConversationStore();
    let down = true;
    const flaky: ConversationStore = Object.assign(Object.create(memory), {
      save: async (...args: Parameters<ConversationStore['save']>) => {
        if (down) throw new AppError('tsid_store_unavailable', 'connection refused');
        return memory.save(...args);
      },
    });
    const { engine, delivered } = setup({ store: flaky });
    await expect(engine.handle(say('ciao', 'ev-2'))).rejects.toMatchObject({ code: 'tsid_store_unavailable' });
    expect(delivered).toHaveLength(0);
    down = false;
    expect((await engine.handle(say('ciao', 'ev-2'))).status).toBe('done');
    expect(delivered).toHaveLength(1);
  });

  it('keeps a message whose delivery failed in the outbox, and delivers it in order later', async () => {
    let failing = true;
    const delivered: string[] = [];
    const { engine, store } = setup({
      deliver: async (d) => {
        if (failing) throw new Error('platform down');
        delivered.push(d.message.kind === 'prompt' ? d.message.step : d.message.kind);
      },
    });
    await engine.handle(say('ciao'));
    await engine.handle({ key, event: { type: 'user.choice', choiceId: 'no' } });
    expect(await store.pendingOutbox('local:t:u')).toHaveLength(2);
    failing = false;
    await engine.flush('local:t:u');
    expect(delivered).toEqual(['tsid.intro', 'tsid.admin']);
    expect(await store.pendingOutbox('local:t:u')).toHaveLength(0);
  });

  it('erases the conversation on request, after saying so', async () => {
    const { engine, store, texts } = setup();
    await engine.handle(say('ciao'));
    await engine.handle(say('cancella i miei dati'));
    const result = await engine.handle(say('sì'));
    expect(result.status).toBe('erased');
    expect(texts().at(-1)).toContain('ho cancellato i tuoi dati');
    expect(await store.load('local:t:u')).toBeUndefined();
  });

  it('ignores a reminder claimed before the customer erased the conversation: no new conversation, no welcome', async () => {
    const { engine, store, scheduler, clock, texts } = setup();
    await engine.handle(say('ciao'));
    await engine.handle(say('operatore')); // the hand-off arms its timeout reminder
    clock.advance(15 * 60_000);
    const [claimed] = await scheduler.claimDue(clock.now(), 10, 60_000);
    expect(claimed).toBeDefined();
    await engine.erase(key);
    const said = texts().length;
    // What the runner does with the entry it had already claimed.
    const result = await engine.handle({
      key,
      event: { type: 'reminder.due', reminderId: claimed.reminderId },
      idempotencyKey: 'reminder:late',
    });
    expect(result.status).toBe('ignored');
    expect(texts()).toHaveLength(said);
    expect(await store.load('local:t:u')).toBeUndefined();
  });

  it('refuses a flow that relies on `after` timers, which a persisted snapshot would lose', async () => {
    const machine = createMachine({
      initial: 'a',
      states: { a: { after: { 1000: 'b' } }, b: { entry: emit({ type: 'data.erase' }) } },
    });
    const flow: FlowDefinition = {
      id: 'timed',
      version: 1,
      machine,
      createInput: () => ({}),
      interpret: (e) => e,
      currentStep: () => 'a',
      status: () => ({ locale: 'it', step: 'a', stepTitle: 'a', companies: [] }),
    };
    const { engine } = setup({ flow });
    await expect(engine.handle(say('hi'))).rejects.toBeInstanceOf(AppError);
  });

  it('delivers a due reminder once, and ignores it after the customer answered', async () => {
    const { engine, runner, clock, texts } = setup();
    const answers = [
      'ciao',
      'sì',
      'sì',
      'fatto',
      'fatto',
      'fatto',
      'fatto',
      'sì',
      'a@b.it',
      'fatto',
      'fatto',
      'Bar Roma',
      'sì',
      'fatto',
      'sì',
      'fatto',
      'fatto',
      'fatto',
      'fatto',
    ];
    for (const text of answers) await engine.handle(say(text));
    expect((await engine.status(key))?.step).toBe('invoice.invite');
    clock.advance(30 * 60_000);
    expect(await runner.runDue()).toBe(1);
    expect(await runner.runDue()).toBe(0);
    expect(texts().filter((text) => text.startsWith('Promemoria'))).toHaveLength(1);
    await engine.handle(say('invito accettato'));
    clock.advance(48 * 3_600_000);
    expect(await runner.runDue()).toBe(0);
    expect(texts().filter((text) => text.startsWith('Promemoria'))).toHaveLength(1);
  });
});
