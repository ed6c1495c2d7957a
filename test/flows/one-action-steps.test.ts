import { describe, expect, it } from '@jest/globals';
import { createTsidFlow, FLOW_VERSION } from '../../flows/tsid-digital-invoice/index.js';
import {
  ConversationEngine,
  conversationId,
  type ConversationKey,
  type InboundEvent,
  type PromptMessage,
} from '../../src/engine/index.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { MemoryReminderScheduler } from '../../src/scheduler/reminder-scheduler.js';
import { MemoryConversationStore } from '../../src/store/conversation-store.js';

const KEY: ConversationKey = { channel: 'local', tenant: 'one-action', user: 'customer-1' };

/** The real guide on the engine with a memory store: what the customer reads, with the buttons' stamped ids. */
function guide() {
  const clock = new ManualClock();
  const store = new MemoryConversationStore(() => clock.now());
  const said: PromptMessage[] = [];
  const engine = new ConversationEngine({
    flow: createTsidFlow(),
    store,
    scheduler: new MemoryReminderScheduler(),
    clock,
    deliver: async ({ message }) => void (message.kind === 'prompt' && said.push(message)),
  });
  const send = (event: InboundEvent) => engine.handle({ key: KEY, event, locale: 'it' });
  /** The stamped id of a button on the newest message that has it (or on the message given). */
  const button = (
    label: string,
    on: PromptMessage | undefined = said.findLast((m) => m.choices?.some((c) => c.label === label)),
  ) => {
    const id = on?.choices?.find((choice) => choice.label === label)?.id;
    if (!id) throw new Error(`no button "${label}"`);
    return id;
  };
  const click = async (label: string, on?: PromptMessage) => {
    const id = button(label, on);
    const before = said.length;
    await send({ type: 'user.choice', choiceId: id });
    return said.slice(before).map((m) => m.text);
  };
  const step = async () => (await engine.status(KEY))?.step;
  return { engine, store, said, send, click, step };
}

/** A guide started by an agent at the company list, one company given: at its unlink step, answered. */
async function atRelink(g: ReturnType<typeof guide>) {
  await g.send({ type: 'session.start', step: 'invoice.companies' });
  await g.send({ type: 'user.text', text: 'Bar Roma 01234560785' });
  for (const label of ['Sì, è corretto', 'Fatto', 'Sì, scollega Bar Roma', 'Fatto']) await g.click(label);
  expect(g.said.at(-1)!.text).toContain("clicca di nuovo l'icona");
}

describe('one action per message, in the chart', () => {
  it('asks to sign in, then to open "Impostazioni Account" → "TS Digital", as two questions of one step', async () => {
    const g = guide();
    await g.send({ type: 'session.start', step: 'invoice.open-settings' });
    const signIn = g.said.at(-1)!;
    expect(signIn.text).toContain('Entra in Cassa in Cloud come amministratore');
    expect(signIn.text).not.toContain('Impostazioni Account');
    expect(await g.click('Fatto')).toEqual(['Vai in "Impostazioni Account" → "TS Digital". Lì vedi le tue aziende.']);
    expect(await g.step()).toBe('invoice.open-settings');
    // A second click on the sign-in message's "Fatto" (a double click) does not open the page for the customer.
    const again = await g.click('Fatto', signIn);
    expect(again).toEqual([
      expect.stringMatching(/Quella risposta era per un passo di prima[^]*"Impostazioni Account" → "TS Digital"/),
    ]);
    expect(await g.click('Fatto')).toEqual([expect.stringContaining('Scrivimi le aziende')]);
    expect(await g.step()).toBe('invoice.companies');
  });

  it('asks to click the green chain, then to enter the noted data; a repeated click on the first "Fatto" skips nothing', async () => {
    const g = guide();
    await atRelink(g);
    const chain = g.said.at(-1)!;
    expect(await g.click('Fatto', chain)).toEqual([
      'Il portale ti chiede i dati di Bar Roma: inserisci quelli che hai annotato prima.',
    ]);
    const again = await g.click('Fatto', chain);
    expect(again).toEqual([
      expect.stringMatching(/Ora siamo qui: ricollegamento \(icona "catena"\)\.[^]*inserisci quelli che hai annotato/),
    ]);
    expect(await g.step()).toBe('invoice.relink');
    expect(await g.click('Fatto')).toEqual([expect.stringContaining('Seleziona "Continua"')]);
    expect(await g.step()).toBe('invoice.continue');
  });

  it('after a pause ("stop", then "Riprendi") the data question is the same question: its earlier "Fatto" still answers', async () => {
    const g = guide();
    await atRelink(g);
    await g.click('Fatto');
    const dataQuestion = g.said.at(-1)!;
    await g.send({ type: 'user.text', text: 'stop' });
    expect(await g.click('Riprendi')).toEqual([expect.stringContaining('inserisci quelli che hai annotato')]);
    expect(await g.click('Fatto', dataQuestion)).toEqual([expect.stringContaining('Seleziona "Continua"')]);
  });

  it('upgrades a conversation parked at the relink step by flow version 1: its "Fatto" still answers, nothing restarts', async () => {
    const g = guide();
    await atRelink(g);
    const id = conversationId(KEY);
    const parked = (await g.store.load(id))!;
    // As version 1 stored it: the same snapshot (a first action has no stage), an older version number.
    expect(await g.store.save({ ...parked, flowVersion: 1, revision: parked.revision + 1 }, parked.revision, [])).toBe(
      'saved',
    );
    expect(FLOW_VERSION).toBe(3);
    expect(await g.click('Fatto')).toEqual([expect.stringContaining('inserisci quelli che hai annotato')]);
    const upgraded = (await g.store.load(id))!;
    expect(upgraded.flowVersion).toBe(FLOW_VERSION);
    expect(g.said.map((m) => m.text).join('\n')).not.toContain('La guida è stata aggiornata');
  });
});
