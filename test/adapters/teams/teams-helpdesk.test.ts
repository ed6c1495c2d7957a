import { afterEach, describe, expect, it } from '@jest/globals';
import type { Activity } from 'botbuilder';
import type { HelpdeskCard } from '../../../adapters/teams/helpdesk-card.js';
import { STEP_IDS } from '../../../flows/tsid-digital-invoice/index.js';
import { HandoffService, MemoryHandoffStore } from '../../../src/handoff/index.js';
import { transcriptFlow } from '../../transcripts/flow-for-transcripts.js';
import { markupIn } from './inert.js';
import { BOT, TeamsHarness, TENANT, USER } from './teams-harness.js';
import { HELPDESK_CHANNEL, readHelpdeskCard, TEAM_ID, TeamsHelpdeskAgent, teamsAgent } from './teams-helpdesk-agent.js';

let harness: TeamsHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(agents?: string[]) {
  const handoff = new HandoffService({ store: new MemoryHandoffStore(), steps: STEP_IDS, agents });
  harness = await TeamsHarness.start({
    flow: transcriptFlow({}),
    handoff,
    helpdeskChannel: HELPDESK_CHANNEL,
    locale: 'it-IT',
  });
  const h = harness;
  const say = async (text: string) => void (await h.post(h.activity({ text })));
  return { harness: h, agent: new TeamsHelpdeskAgent(h), say };
}

const helpdeskPosts = (h: TeamsHarness) =>
  h.fake.posted().filter((entry) => entry.conversationId.startsWith(HELPDESK_CHANNEL));
const personalPosts = (h: TeamsHarness) =>
  h.fake.posted().filter((entry) => !entry.conversationId.startsWith(HELPDESK_CHANNEL));
const HOSTILE = '<at>Tutti</at> [clic](https://evil.example) **grassetto** evil.example {{DATE(2026-01-01T00:00:00Z)}}';

/** A message from someone in the helpdesk channel, at the channel's top level (a new thread). */
function channelMessage(
  h: TeamsHarness,
  id: string,
  text: string,
  entities: object[],
  from = teamsAgent('Giulia'),
): Partial<Activity> {
  return {
    type: 'message',
    id,
    channelId: 'msteams',
    serviceUrl: h.fake.serviceUrl,
    from,
    recipient: { ...BOT },
    text,
    entities,
    conversation: {
      id: `${HELPDESK_CHANNEL};messageid=${id}`,
      conversationType: 'channel',
      tenantId: TENANT,
      isGroup: true,
      name: '',
    },
    channelData: { channel: { id: HELPDESK_CHANNEL }, team: { id: TEAM_ID }, tenant: { id: TENANT } },
  } as Partial<Activity>;
}

describe('the Teams helpdesk', () => {
  it('renders everything the customer typed inert in the hand-off card and its reply chain', async () => {
    const { harness: h, say } = await start();
    await say('ciao');
    await say(HOSTILE);
    await say('operatore');
    await say(HOSTILE);
    const posts = helpdeskPosts(h);
    expect(posts).toHaveLength(2);
    expect(posts[1].conversationId).toBe(posts[0].conversationId);
    for (const post of posts) {
      const card = (post.activity.attachments as { content: HelpdeskCard }[])[0].content;
      const problems = card.body.flatMap((block) => (block.type === 'TextBlock' ? (markupIn(block.text) ?? []) : []));
      expect(problems).toEqual([]);
      expect(JSON.stringify(post.activity)).not.toContain('"entities"');
      expect(readHelpdeskCard(post.activity).text).toContain(HOSTILE);
    }
  });

  it('ignores a hand-off button submitted from outside the helpdesk channel: nothing changes', async () => {
    const { harness: h, say } = await start();
    await say('ciao');
    await say('operatore');
    const before = { personal: personalPosts(h).length, updates: h.fake.updates().length };
    await h.post(h.activity({ value: { tsid: 'handoff', op: 'take' }, replyToId: helpdeskPosts(h)[0].id }));
    expect(personalPosts(h).length).toBe(before.personal);
    expect(h.fake.updates().length).toBe(before.updates);
    expect(h.helpdeskOutcomes).toEqual([]);
  });

  it('refuses an agent not in HELPDESK_AGENTS: told in the reply chain, nothing else changes', async () => {
    const { harness: h, agent, say } = await start(['aad-agent-sara']);
    await say('ciao');
    await say('operatore');
    const personal = personalPosts(h).length;
    await agent.send(agent.newestPost(), { value: { tsid: 'handoff', op: 'take' } }, ['refused'], 'Giulia');
    expect(readHelpdeskCard(helpdeskPosts(h).at(-1)!.activity).text).toBe('Only helpdesk agents can act on hand-offs.');
    expect(personalPosts(h).length).toBe(personal);
    await agent.send(agent.newestPost(), { value: { tsid: 'handoff', op: 'take' } }, ['done'], 'Sara');
    expect(readHelpdeskCard(personalPosts(h).at(-1)!.activity).text).toBe("Sara dell'assistenza è con te ora.");
    const redrawn = h.fake.updates().at(-1)!;
    expect(redrawn.conversationId).toBe(agent.newestPost().conversationId);
    expect(readHelpdeskCard(redrawn.activity).text).toContain('Taken by Sara.');
  });

  it('"start @user step" in the helpdesk channel opens the guide at the step for someone the bot knows', async () => {
    const { harness: h, say } = await start();
    await say('ciao');
    h.fake.aadIds.set(USER.id, USER.aadObjectId);
    const bot = { type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: { id: BOT.id, name: BOT.name } };
    const anna = { type: 'mention', text: `<at>${USER.name}</at>`, mentioned: { id: USER.id, name: USER.name } };
    const stranger = { type: 'mention', text: '<at>Nessuno</at>', mentioned: { id: '29:nobody', name: 'Nessuno' } };
    await h.post(channelMessage(h, 'c1', `<at>${BOT.name}</at> start <at>Nessuno</at> tsid.connect`, [bot, stranger]));
    expect(h.helpdeskOutcomes.at(-1)?.status).toBe('refused');
    await h.post(channelMessage(h, 'c2', `<at>${BOT.name}</at> start <at>${USER.name}</at> tsid.connect`, [bot, anna]));
    expect(h.helpdeskOutcomes.at(-1)?.status).toBe('done');
    expect(readHelpdeskCard(personalPosts(h).at(-1)!.activity).text).toContain('Connetti Team System ID');
    expect((await h.engine.status(h.key))?.step).toBe('tsid.connect');
    const answers = helpdeskPosts(h).map((entry) => readHelpdeskCard(entry.activity).text);
    expect(answers).toEqual([
      expect.stringContaining('no conversation with this person'),
      'The guide is open in their personal chat at tsid.connect.',
    ]);
  });
});
