import { afterEach, describe, expect, it } from '@jest/globals';
import type { Activity } from 'botbuilder';
import { cardOf, readCard } from './read-cards.js';
import { cardProblems } from './inert.js';
import { BOT, PERSONAL_CONVERSATION, TeamsHarness, USER } from './teams-harness.js';
import { createTinyFlow, HOSTILE } from './tiny-flow.js';

let harness: TeamsHarness;
afterEach(async () => harness?.close());

const texts = () => harness.fake.posted().map((entry) => readCard(cardOf(entry.activity)).text);

describe('Teams channel in local mode (MicrosoftAppId empty)', () => {
  it('says loudly at start that authentication is off', async () => {
    harness = await TeamsHarness.start({ flow: createTinyFlow() });
    expect(harness.channel.authEnabled).toBe(false);
    const warning = harness.logs.find((entry) => entry.level === 'warn');
    expect(warning?.message).toMatch(/AUTHENTICATION IS OFF.*Emulator/);
  });

  it('welcomes when the bot is added to a personal chat, in the activity locale', async () => {
    harness = await TeamsHarness.start({ flow: createTinyFlow(), locale: 'en-US' });
    const response = await harness.post(
      harness.activity({ type: 'conversationUpdate', membersAdded: [{ ...USER }, { ...BOT }] }),
    );
    expect(response.status).toBe(200);
    expect(texts()).toEqual(['hello (en) ACME']);
    const [welcome] = harness.fake.posted();
    expect(welcome).toMatchObject({ conversationId: PERSONAL_CONVERSATION, authorization: undefined });
    expect(welcome.activity).toMatchObject({ type: 'message', recipient: { id: USER.id }, from: { id: BOT.id } });
  });

  it('talks to the Emulator without credentials: no token in, none out', async () => {
    harness = await TeamsHarness.start({ flow: createTinyFlow() });
    // The Emulator sends no conversationType and no tenant.
    const emulator = {
      channelId: 'emulator',
      conversation: { id: 'emu-1', isGroup: false, name: '' },
      channelData: undefined,
      locale: 'en-US',
    } as Partial<Activity>;
    expect(
      (await harness.post(harness.activity({ ...emulator, type: 'conversationUpdate', membersAdded: [{ ...BOT }] })))
        .status,
    ).toBe(200);
    expect((await harness.post(harness.activity({ ...emulator, text: 'hi' }))).status).toBe(200);
    expect(texts()).toEqual(['hello (en) ACME', 'you said: hi']);
    expect(
      harness.fake.posted().every((entry) => entry.conversationId === 'emu-1' && entry.authorization === undefined),
    ).toBe(true);
  });

  it('ignores channels other than Teams and the Emulator', async () => {
    harness = await TeamsHarness.start({ flow: createTinyFlow() });
    expect((await harness.post(harness.activity({ channelId: 'webchat', text: 'hi' }))).status).toBe(200);
    expect(harness.turnsStarted).toBe(0);
    expect(harness.fake.captured).toEqual([]);
  });

  it('runs one turn for a message delivered twice (same activity.id)', async () => {
    harness = await TeamsHarness.start({ flow: createTinyFlow() });
    const message = harness.activity({ text: 'hello' });
    expect((await harness.post(message)).status).toBe(200);
    expect((await harness.post(message)).status).toBe(200);
    expect(texts()).toEqual(['hello (it) ACME']);
    expect(harness.turnsStarted).toBe(2); // the second was recognised as a duplicate by the engine
    await harness.post(harness.activity({ text: 'again' }));
    expect(texts()).toEqual(['hello (it) ACME', 'you said: again']);
  });

  it('renders a hostile company name inert in every card it appears in, end to end', async () => {
    harness = await TeamsHarness.start({ flow: createTinyFlow(HOSTILE) });
    await harness.post(harness.activity({ text: 'hi' })); // greeting: text, danger button with confirmation
    await harness.post(harness.activity({ text: `${HOSTILE}` })); // echoed back
    await harness.post(harness.activity({ text: 'agent' })); // an agent named like the company
    const greeting = harness.fake.posted()[0];
    const unlink = cardOf(greeting.activity).actions!.find((action) => action.title.startsWith('Unlink'))!;
    await harness.post(harness.activity({ value: (unlink as { data: object }).data, replyToId: greeting.id })); // confirmation card
    const cards = harness.fake.captured.map((entry) => cardOf(entry.activity));
    expect(cards.length).toBe(4);
    for (const card of cards) expect(cardProblems(card)).toEqual([]);
    expect(texts()).toEqual([
      `hello (it) ${HOSTILE}`,
      `you said: ${HOSTILE}`,
      `${HOSTILE}: about ${HOSTILE}`,
      `Unlink ${HOSTILE}? You unlink ${HOSTILE} (VAT 01234567897).`,
    ]);
  });

  it('delivers only customer messages: a helpdesk post is skipped without error', async () => {
    harness = await TeamsHarness.start({ flow: createTinyFlow() });
    await harness.post(harness.activity({ text: 'hi' }));
    await harness.post(harness.activity({ text: 'helpdesk' }));
    expect(texts()).toEqual(['hello (it) ACME', 'after the helpdesk post']);
    expect(await harness.store.pendingOutbox('teams:tenant-1:aad-user-1')).toEqual([]);
    expect(harness.logs.filter((entry) => entry.level === 'error')).toEqual([]);
  });

  it.each([
    ['malformed JSON', '{"type": "message",', 400],
    ['a JSON array', '[1,2]', 400],
    ['an activity without a type', JSON.stringify({ text: 'hi' }), 400],
  ])('answers %s with a short 400 and runs no turn', async (_what, body, status) => {
    harness = await TeamsHarness.start({ flow: createTinyFlow() });
    const response = await harness.post(body);
    expect(response.status).toBe(status);
    expect(response.body).not.toMatch(/at .*\.js|node_modules/); // no stack trace
    expect(harness.turnsStarted).toBe(0);
  });
});
