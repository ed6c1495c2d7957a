import { afterEach, describe, expect, it } from '@jest/globals';
import type { Activity } from 'botbuilder';
import { systemText } from '../../../src/engine/index.js';
import { cardOf, readCard } from './read-cards.js';
import { BOT, TENANT, TeamsHarness, USER } from './teams-harness.js';
import { createTinyFlow } from './tiny-flow.js';

let harness: TeamsHarness;
afterEach(async () => harness?.close());

const CHANNEL = '19:general@thread.tacv2;messageid=1712345678901';
const inChannel = (text: string): Partial<Activity> =>
  harness.activity({
    text: `<at>${BOT.name}</at> ${text}`,
    conversation: { id: CHANNEL, conversationType: 'channel', tenantId: TENANT, isGroup: true, name: '' },
    entities: [{ type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: { ...BOT } }],
  });
const where = () => harness.fake.posted().map((entry) => [entry.conversationId, readCard(cardOf(entry.activity)).text]);

describe('a message in a team channel', () => {
  it('continues in the personal chat (opened for the author) and only points there in the channel', async () => {
    harness = await TeamsHarness.start({ flow: createTinyFlow() });
    expect((await harness.post(inChannel('hello'))).status).toBe(200);
    expect(harness.fake.created).toEqual([
      expect.objectContaining({ isGroup: false, members: [{ id: USER.id, name: '' }], tenantId: TENANT }),
    ]);
    expect(where()).toEqual([
      ['a:personal-1', 'hello (it) ACME'],
      [CHANNEL, systemText('notUnderstoodHere', 'it')],
    ]);
    // The record keeps the personal chat: a reminder never lands in the channel.
    await harness.post(inChannel('remind'));
    await harness.advance(30 * 60_000);
    expect(where().at(-1)).toEqual(['a:personal-1', 'reminder invite-1: check your mail']);
  });

  it('only points to the personal chat when Teams refuses to open it', async () => {
    harness = await TeamsHarness.start({ flow: createTinyFlow() });
    harness.fake.refuseConversations = true;
    expect((await harness.post(inChannel('hello'))).status).toBe(200);
    expect(where()).toEqual([[CHANNEL, systemText('notUnderstoodHere', 'it')]]);
    expect(harness.turnsStarted).toBe(0);
    expect(harness.logs.map((entry) => entry.message)).toContain('could not open the personal chat');
  });

  it('answers a repeated delivery of the same channel message once', async () => {
    harness = await TeamsHarness.start({ flow: createTinyFlow() });
    const message = inChannel('hello');
    await harness.post(message);
    await harness.post(message);
    expect(where()).toHaveLength(2);
  });
});
