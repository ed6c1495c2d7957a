import { afterEach, describe, expect, it } from '@jest/globals';
import { transcriptFlow } from '../../transcripts/flow-for-transcripts.js';
import { readBlocks } from './read-blocks.js';
import { dmMessage } from './signed-request.js';
import { asSlackSendsIt, slackDriver } from './slack-driver.js';
import { SlackHarness } from './slack-harness.js';
import { clickPayload, messagesIn } from './slack-payloads.js';

// Poison text over the real wire: signed requests through Bolt, the engine, the fake Slack Web API.

let harness: SlackHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Every string the bot sent to Slack (texts, blocks, buttons, confirm dialogs). */
function sentStrings(h: SlackHarness): string[] {
  const strings: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') strings.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  h.fake.calls.forEach((call) => walk(call.args));
  return strings;
}

/** The customer U1 in a DM with the real guide: types and clicks over signed requests, reads what was posted. */
async function customer() {
  const h = (harness = await SlackHarness.start({ flow: transcriptFlow({}) }));
  let read = 0;
  const turn = async (send: () => Promise<unknown>) => {
    const before = h.outcomes.length;
    await send();
    await h.outcomesAfter(before + 1);
  };
  return {
    h,
    say: (text: string) => turn(() => h.slack.event(dmMessage('U1', asSlackSendsIt(text)))),
    click: (label: string) =>
      turn(() =>
        h.slack.interaction(
          clickPayload(messagesIn(h.fake, 'DU1'), label, { team: 'T1', user: 'U1', responseUrl: `${h.fake.origin}/r` }),
        ),
      ),
    /** The messages posted since the last call. */
    fresh: () => {
      const posts = h.fake.served('chat.postMessage').filter((call) => call.args.channel === 'DU1');
      const shown = posts.slice(read).map((call) => readBlocks(call.args.blocks));
      read = posts.length;
      return shown;
    },
  };
}

/** The guide from hello to "write me your companies" (an existing TS ID). */
async function atCompanyQuestion() {
  const c = await customer();
  await c.say('ciao');
  for (const label of ['Sì', 'Sì', 'Fatto', 'Fatto', 'Fatto', 'Fatto', 'Sì']) await c.click(label);
  await c.say('anna@bottega.it');
  await c.click('Fatto');
  await c.click('Fatto');
  expect(c.fresh().at(-1)?.text).toContain('Scrivimi le aziende');
  return c;
}

describe('Slack: what a customer types is cleaned once, at the engine edge', () => {
  it('turns a lone high surrogate into U+FFFD, and the next three messages are all delivered', async () => {
    const h = (harness = await SlackHarness.start());
    for (const [index, text] of ['ciao', 'veleno \uD83D', 'Acme \uD83D Srl', 'uno', 'due', 'tre'].entries()) {
      await h.slack.event(dmMessage('U1', text));
      await h.outcomesAfter(index + 1);
    }
    expect(h.posted('DU1')).toEqual([
      'hello (it)',
      'you said: veleno \uFFFD',
      'you said: Acme \uFFFD Srl',
      'you said: uno',
      'you said: due',
      'you said: tre',
    ]);
  });

  it('shows a company name typed with U+202E and NUL without them in the unlink confirmation', async () => {
    const c = await atCompanyQuestion();
    await c.say('Bar \u202ERoma\u0000 Sud 00743110157');
    expect(c.fresh().map((shown) => shown.text)).toEqual([
      expect.stringContaining('1. Bar Roma Sud (P.IVA 00743110157)'),
    ]);
    await c.click('Sì, è corretto');
    await c.click('Fatto');
    const confirmation = c.fresh().at(-1);
    expect(confirmation?.text).toContain('Stai per disattivare la fatturazione elettronica per Bar Roma Sud');
    expect(confirmation?.choices).toEqual(['Sì, scollega Bar Roma Sud', 'No, salta questa azienda']);
    const sent = sentStrings(c.h).join('\n');
    expect(sent).toContain('Bar Roma Sud');
    for (const poison of ['\u0000', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2069'])
      expect(sent).not.toContain(poison);
  });
});

describe('Slack: company names keep what was typed', () => {
  it('keeps a typed <, >, & and a typed "&lt;" inside one company each (no split at the entity\'s ";")', async () => {
    const c = await atCompanyQuestion();
    await c.say('Acme <Italia> & Figli\nBeta &lt;2&gt; Srl');
    expect(c.fresh().at(-1)?.text).toContain('1. Acme <Italia> & Figli 2. Beta &lt;2&gt; Srl È corretto?');
  });

  it('cuts a too-long name after whole characters: an emoji at the 30th place is shown whole', async () => {
    const c = await atCompanyQuestion();
    await c.say(`${'x'.repeat(29)}🐟${'y'.repeat(60)}`);
    expect(c.fresh().at(-1)?.text).toContain(`"${'x'.repeat(29)}🐟…"`);
    expect(sentStrings(c.h).filter((sent) => LONE_SURROGATE.test(sent))).toEqual([]);
  });
});

describe('Slack: a hand-off relay survives a lone surrogate, both ways', () => {
  it('relays "veleno \\uD83D" as "veleno \\uFFFD" and the three messages after it, each way', async () => {
    const d = await slackDriver({});
    try {
      await d.say('ciao');
      await d.say('operatore');
      await d.inject({ type: 'agent.accepted', agentName: 'Marco' });
      await d.drain();
      for (const text of ['veleno \uD83D', 'uno', 'due', 'tre']) await d.say(text);
      for (const text of ['ciao \uD83D', 'a', 'b', 'c'])
        await d.inject({ type: 'agent.text', agentName: 'Marco', text });
      const shown = await d.drain();
      const helpdesk = shown.filter((output) => output.audience === 'helpdesk').map((output) => output.text);
      const customerSaw = shown.filter((output) => output.audience === 'customer').map((output) => output.text);
      expect(helpdesk).toEqual(['veleno \uFFFD', 'uno', 'due', 'tre'].map((text) => expect.stringContaining(text)));
      expect(customerSaw).toEqual(['ciao \uFFFD', 'a', 'b', 'c'].map((text) => `Marco: ${text}`));
    } finally {
      await d.close();
    }
  });
});
