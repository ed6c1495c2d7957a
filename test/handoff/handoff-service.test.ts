import { describe, expect, it } from '@jest/globals';
import { conversationId } from '../../src/engine/index.js';
import { agent, handoffFixture } from './handoff-fixture.js';

const giulia = agent('Giulia');
const marco = agent('Marco');
const stranger = agent('Stranger');

describe('posting a hand-off request', () => {
  it('posts the same request once, however often it is delivered', async () => {
    const f = handoffFixture();
    await f.requestHandoff();
    expect(f.helpdesk.posts()).toHaveLength(1);
    const [request] = f.helpdeskDeliveries;
    expect(request?.message.kind).toBe('handoff.request');
    await Promise.all([f.service.deliver(request), f.service.deliver(request)]);
    await f.service.deliver(request);
    expect(f.helpdesk.posts()).toHaveLength(1);
    expect(f.helpdesk.posts()[0].card).toMatchObject({
      title: 'hand-off requested (customer-asked) at tsid.intro',
      status: 'Waiting for an agent.',
      canTake: true,
      open: true,
    });
  });

  it('keeps a request whose post failed in the outbox, with the messages behind it, and posts it once on the retry', async () => {
    const f = handoffFixture();
    f.helpdesk.failPosts = 1;
    await f.requestHandoff();
    expect(f.helpdesk.calls).toEqual([]);
    // The next turn flushes the outbox again: the request first, then the relay, in order.
    await f.say('sono ancora qui');
    await f.engine.flush(conversationId(f.key));
    expect(f.helpdesk.posts()).toHaveLength(1);
    expect(f.helpdesk.replies()).toEqual(['customer: sono ancora qui']);
  });

  it('replaces a request nobody took when the customer asks again: one new post, the old one says so', async () => {
    const f = handoffFixture();
    const first = await f.requestHandoff();
    f.clock.advance(15 * 60_000);
    await f.runner.runDue();
    await f.send({ type: 'user.choice', choiceId: 'resume' });
    await f.say('operatore');
    expect(f.helpdesk.posts()).toHaveLength(2);
    expect(f.helpdesk.calls.find((call) => call.op === 'update')).toMatchObject({
      thread: first,
      card: { status: 'Replaced by a newer request from this customer.', open: false },
    });
    expect(await f.service.take(first, giulia)).toMatchObject({
      status: 'refused',
      message: 'This hand-off is already over.',
    });
    expect((await f.service.take('thread-2', giulia)).status).toBe('done');
  });

  it('makes a new post for a new request after the last one ended', async () => {
    const f = handoffFixture();
    const thread = await f.requestHandoff();
    expect((await f.service.close(thread, giulia)).status).toBe('done');
    await f.say('operatore');
    expect(f.helpdesk.posts()).toHaveLength(2);
  });
});

describe('taking a hand-off', () => {
  it('gives it to exactly one of two agents who take it at once; the other is told who has it', async () => {
    const f = handoffFixture();
    const thread = await f.requestHandoff();
    const outcomes = await Promise.all([f.service.take(thread, giulia), f.service.take(thread, marco)]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['done', 'refused']);
    const owner = outcomes[0].status === 'done' ? 'Giulia' : 'Marco';
    expect(outcomes.find((o) => o.status === 'refused')?.message).toBe(`${owner} has already taken this hand-off.`);
    expect(f.texts()).toEqual([`${owner} dell'assistenza è con te ora.`]);
    const updates = f.helpdesk.calls.filter((call) => call.op === 'update');
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ card: { status: `Taken by ${owner}.`, canTake: false, open: true } });
  });

  it('keeps the bot silent while an agent has the conversation: everything the customer sends goes to the agent', async () => {
    const f = handoffFixture();
    const thread = await f.requestHandoff();
    await f.service.take(thread, giulia);
    f.texts();
    for (const text of ['stato', 'aiuto', 'ricomincia', 'boh?', 'riprendi', 'operatore', 'lingua en'])
      await f.say(text);
    await f.send({ type: 'user.choice', choiceId: 'yes', text: 'Sì' });
    await f.send({ type: 'session.start' });
    expect(f.texts()).toEqual([]);
    expect(f.helpdesk.replies()).toEqual(
      ['stato', 'aiuto', 'ricomincia', 'boh?', 'riprendi', 'operatore', 'lingua en', 'Sì'].map((t) => `customer: ${t}`),
    );
    expect(await f.engine.status(f.key)).toMatchObject({ step: 'tsid.intro' });
  });

  it("relays only the owner's replies; before anyone takes it the writer is told to take it first", async () => {
    const f = handoffFixture();
    const thread = await f.requestHandoff();
    expect(await f.service.agentText(thread, giulia, 'ciao!')).toMatchObject({
      status: 'ignored',
      message: expect.stringContaining('Take the hand-off first'),
    });
    await f.service.take(thread, giulia);
    f.texts();
    expect((await f.service.agentText(thread, marco, 'nota interna')).status).toBe('ignored');
    expect((await f.service.agentText(thread, giulia, 'Eccomi, dimmi pure.', 'evt-1')).status).toBe('done');
    expect((await f.service.agentText(thread, giulia, 'Eccomi, dimmi pure.', 'evt-1')).status).toBe('duplicate');
    expect(f.texts()).toEqual(['Giulia: Eccomi, dimmi pure.']);
  });
});

describe('who may act', () => {
  it("refuses a non-member's take, hand-back, close and start, and nothing changes", async () => {
    const f = handoffFixture();
    const thread = await f.requestHandoff();
    const record = await f.store.current(conversationId(f.key));
    const revision = (await f.engine.load(f.key))!.revision;
    const calls = f.helpdesk.calls.length;
    const other = { channel: 'slack' as const, tenant: 'T1', user: 'U2' };
    const outcomes = [
      await f.service.take(thread, stranger),
      await f.service.handBack(thread, stranger, 'tsid.connect'),
      await f.service.close(thread, stranger),
      await f.service.startGuide(stranger, other, { step: 'tsid.login' }),
    ];
    expect(outcomes.map((o) => o.status)).toEqual(['refused', 'refused', 'refused', 'refused']);
    expect(outcomes.every((o) => o.message?.startsWith('Only helpdesk agents'))).toBe(true);
    expect(await f.store.current(conversationId(f.key))).toEqual(record);
    expect((await f.engine.load(f.key))!.revision).toBe(revision);
    expect(await f.engine.load(other)).toBeUndefined();
    expect(f.helpdesk.calls).toHaveLength(calls);
    expect(f.texts()).toEqual([]);
  });

  it('goes by HELPDESK_AGENTS when it is set, not by channel membership', async () => {
    const f = handoffFixture({ agents: ['USARA'] });
    const thread = await f.requestHandoff();
    expect((await f.service.take(thread, giulia)).status).toBe('refused');
    expect((await f.service.take(thread, agent('Sara'))).status).toBe('done');
  });

  it('lets only the owner hand back or close a taken hand-off', async () => {
    const f = handoffFixture();
    const thread = await f.requestHandoff();
    await f.service.take(thread, giulia);
    expect(await f.service.close(thread, marco)).toMatchObject({
      status: 'refused',
      message: expect.stringContaining('Giulia has this hand-off'),
    });
    expect(await f.service.handBack(thread, marco, 'tsid.login')).toMatchObject({ status: 'refused' });
    expect((await f.store.current(conversationId(f.key)))?.state).toBe('open');
  });

  it('knows the owner by user id: a second agent with the same display name cannot act as the owner', async () => {
    const f = handoffFixture();
    const owner = { platform: 'slack' as const, id: 'UGIULIA1', name: 'Giulia' };
    const namesake = { platform: 'slack' as const, id: 'UGIULIA2', name: 'Giulia' };
    f.helpdesk.members.add(owner.id).add(namesake.id);
    const thread = await f.requestHandoff();
    expect((await f.service.take(thread, owner)).status).toBe('done');
    f.texts();
    expect(await f.service.take(thread, namesake)).toMatchObject({
      status: 'refused',
      message: 'Giulia has already taken this hand-off.',
    });
    expect((await f.service.agentText(thread, namesake, 'non sono io')).status).toBe('ignored');
    expect((await f.service.handBack(thread, namesake, 'tsid.login')).status).toBe('refused');
    expect((await f.service.close(thread, namesake)).status).toBe('refused');
    expect(f.texts()).toEqual([]);
    expect(await f.store.current(conversationId(f.key))).toMatchObject({ state: 'open', owner: { id: 'UGIULIA1' } });
    expect((await f.service.agentText(thread, owner, 'sono io')).status).toBe('done');
    expect((await f.service.close(thread, owner)).status).toBe('done');
  });
});

describe('handing back', () => {
  it('resumes at the named step and shows who handed back where; a step that does not fit is refused in the thread', async () => {
    const f = handoffFixture();
    const thread = await f.requestHandoff();
    await f.service.take(thread, giulia);
    f.texts();
    expect((await f.service.handBack(thread, giulia, 'invoice.review-data')).status).toBe('rejected');
    expect(f.helpdesk.replies()).toEqual(['bot: hand-back to invoice.review-data refused: no-companies']);
    expect((await f.service.handBack(thread, giulia, 'no.such-step')).status).toBe('refused');
    expect((await f.store.current(conversationId(f.key)))?.state).toBe('open');
    expect((await f.service.handBack(thread, giulia, 'tsid.login', 'click-1')).status).toBe('done');
    expect(f.texts()).toEqual([
      expect.stringMatching(/^Giulia ti ha riaffidato a me\. Riprendiamo da qui\.\n\n.*Accedi al portale/),
    ]);
    expect(await f.engine.status(f.key)).toMatchObject({ step: 'tsid.login' });
    expect(f.helpdesk.calls.at(-1)).toMatchObject({
      op: 'update',
      card: { status: 'Handed back to tsid.login by Giulia.', open: false, canTake: false },
    });
    expect(await f.service.take(thread, marco)).toMatchObject({
      status: 'refused',
      message: 'This hand-off is already over.',
    });
  });
});

describe('nobody takes it', () => {
  it('tells the customer after the timeout, lets them go on, and an agent can still take it later', async () => {
    const f = handoffFixture();
    const thread = await f.requestHandoff();
    f.clock.advance(15 * 60_000);
    await f.runner.runDue();
    expect(f.texts()).toEqual([expect.stringContaining('nessun operatore è libero')]);
    await f.send({ type: 'user.choice', choiceId: 'resume' });
    expect(f.texts()).toEqual([expect.stringContaining('Hai già un TS ID?')]);
    await f.say('sì');
    expect(f.texts()).toEqual([expect.stringContaining('amministratore')]);
    expect((await f.service.take(thread, marco)).status).toBe('done');
    expect(f.texts()).toEqual(["Marco dell'assistenza è con te ora."]);
  });
});

describe('no helpdesk configured', () => {
  it('tells the customer at once that nobody is free, and lets them go on with the bot', async () => {
    const f = handoffFixture({ noHelpdesk: true });
    await f.say('ciao');
    await f.say('operatore');
    const said = f.texts();
    expect(said.at(-2)).toContain('Ho chiesto a un collega');
    expect(said.at(-1)).toContain('nessun operatore è libero');
    await f.send({ type: 'user.choice', choiceId: 'resume' });
    expect(f.texts().at(-1)).toContain('Hai già un TS ID?');
  });
});

describe('an agent starts the guide', () => {
  const anna = { channel: 'slack' as const, tenant: 'T1', user: 'UANNA' };

  it('opens a new conversation at the step asked for', async () => {
    const f = handoffFixture();
    expect((await f.service.startGuide(giulia, anna, { step: 'tsid.login', idempotencyKey: 'cmd-1' })).status).toBe(
      'done',
    );
    expect(f.texts()).toEqual([expect.stringContaining('Accedi al portale')]);
    expect(await f.engine.status(anna)).toMatchObject({ step: 'tsid.login' });
    expect((await f.service.startGuide(giulia, anna, { step: 'tsid.login', idempotencyKey: 'cmd-1' })).status).toBe(
      'duplicate',
    );
  });

  it('refuses an unknown step, a company step for someone with no companies, and a stranger when only known people can be reached', async () => {
    const f = handoffFixture();
    expect(await f.service.startGuide(giulia, anna, { step: 'tsid.nowhere' })).toMatchObject({ status: 'refused' });
    expect(await f.service.startGuide(giulia, anna, { step: 'invoice.unlink' })).toMatchObject({
      status: 'refused',
      message: expect.stringContaining('companies'),
    });
    expect(await f.service.startGuide(giulia, anna, { requireExisting: true })).toMatchObject({
      status: 'refused',
      message: expect.stringContaining('no conversation'),
    });
    expect(await f.engine.load(anna)).toBeUndefined();
  });

  it('moves an existing conversation to the step', async () => {
    const f = handoffFixture();
    await f.say('ciao');
    f.texts();
    expect((await f.service.startGuide(giulia, f.key, { step: 'tsid.connect', requireExisting: true })).status).toBe(
      'done',
    );
    expect(await f.engine.status(f.key)).toMatchObject({ step: 'tsid.connect' });
  });
});
