import { describe, expect, it } from '@jest/globals';
import {
  renderHandoffCard as slackHandoff,
  renderThreadNote as slackNote,
} from '../../adapters/slack/helpdesk-render.js';
import { renderMessage as slackMessage } from '../../adapters/slack/render-blocks.js';
import { renderHome } from '../../adapters/slack/render-home.js';
import { SLACK_LIMITS } from '../../adapters/slack/slack-limits.js';
import { activityBytes, CARD_BUDGET_BYTES } from '../../adapters/teams/card-limits.js';
import {
  renderHandoffCard as teamsHandoff,
  renderThreadNote as teamsNote,
} from '../../adapters/teams/helpdesk-card.js';
import { renderMessage as teamsMessage } from '../../adapters/teams/render-card.js';
import type { AgentTextMessage, Choice, PromptMessage, StatusView } from '../../src/engine/index.js';
import type { HandoffCard } from '../../src/handoff/index.js';
import { slackLimitError } from './slack/slack-limits-check.js';
import { CONNECTOR_MAX_BYTES } from './teams/teams-limits-check.js';

// The worst inputs of issue 20 "Why", and worse: long text, many lines, emoji on every cut, markup to escape.
const problemLines = Array.from({ length: 668 }, (_, i) => `• "ok${i}" sembra una risposta, non un'azienda.`);
const WORST: Record<string, string> = {
  'one problem line per item (668 lines)': `C'è qualcosa da sistemare:\n${problemLines.join('\n')}`,
  '200,000 characters in one line': 'a'.repeat(200_000),
  '200,000 characters of words': 'parola '.repeat(28_572),
  'emoji everywhere (surrogate pairs)': '🐠'.repeat(60_000),
  'markup to escape': '<!channel> & *x* [a](b) '.repeat(9_000),
  'dots that get word joiners': 'a.b.c.d '.repeat(25_000),
};
const longLabel = 'Etichetta lunghissima 🐠 '.repeat(20);
const choices: Choice[] = Array.from({ length: 3 }, (_, i) => ({
  id: `c${i}`,
  label: longLabel,
  confirm: { title: longLabel, text: longLabel.repeat(5), yes: longLabel, no: longLabel },
}));

function prompt(text: string): PromptMessage {
  return {
    kind: 'prompt',
    step: 'invoice.companies',
    text,
    choices,
    links: [{ label: longLabel, url: 'https://x.it' }],
  };
}
function agent(text: string): AgentTextMessage {
  return { kind: 'agent.text', agentName: longLabel, text, locale: 'en' };
}
function handoff(text: string): HandoffCard {
  return {
    title: text.slice(0, 5000),
    facts: Array.from({ length: 60 }, (_, i) => ({ label: `Company ${i}`, value: text.slice(0, 3000) })),
    lastMessages: Array.from({ length: 30 }, () => text),
    status: text.slice(0, 5000),
    canTake: true,
    open: true,
    steps: ['invoice.companies', 'tsid.login'],
  };
}
function home(text: string): StatusView {
  return {
    locale: 'it',
    step: 'invoice.companies',
    stepTitle: text,
    companies: Array.from({ length: 300 }, () => ({ name: text, status: 'pending' as const, statusLabel: text })),
  };
}

/** Every text object in a Slack payload, with the limit of its place. */
function slackTextsOverLimit(message: { text: string; blocks: unknown[] }): string[] {
  const over: string[] = [];
  const check = (where: string, text: unknown, max: number) => {
    if (typeof text === 'string' && text.length > max) over.push(`${where} (${text.length} > ${max})`);
  };
  check('text', message.text, SLACK_LIMITS.messageText);
  type Text = { text?: string };
  type Element = { type?: string; text?: Text | string; confirm?: Record<string, Text | undefined> };
  type Block = { type: string; text?: Text; fields?: Text[]; elements?: Element[] };
  for (const block of message.blocks as unknown as Block[]) {
    check('section', block.text?.text, SLACK_LIMITS.sectionText);
    for (const field of block.fields ?? []) check('field', field.text, SLACK_LIMITS.fieldText);
    for (const element of block.elements ?? []) {
      if (block.type === 'context') check('context', element.text, SLACK_LIMITS.contextText);
      const label = typeof element.text === 'object' ? element.text.text : undefined;
      check('button', element.type === 'button' ? label : undefined, SLACK_LIMITS.buttonText);
      check('confirm title', element.confirm?.title?.text, SLACK_LIMITS.confirmTitle);
      check('confirm text', element.confirm?.text?.text, SLACK_LIMITS.confirmText);
      check('confirm yes', element.confirm?.confirm?.text, SLACK_LIMITS.confirmButton);
      check('confirm no', element.confirm?.deny?.text, SLACK_LIMITS.confirmButton);
    }
  }
  return over;
}

/** No lone surrogate anywhere in the serialised payload: JSON.stringify writes one as `\udxxx`. */
const LONE_SURROGATE = /\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f])|(?<!\\ud[89ab][0-9a-f]{2})\\ud[c-f][0-9a-f]{2}/i;

describe.each(Object.entries(WORST))('platform limits, worst input: %s', (_name, text) => {
  it.each([
    ['customer prompt', () => slackMessage(prompt(text)), true],
    ['agent relay to the customer', () => slackMessage(agent(text)), true],
    ['helpdesk hand-off post', () => slackHandoff(handoff(text)), false],
    ['helpdesk thread relay', () => slackNote({ from: 'customer', text }), true],
  ])(
    'Slack %s: within 50 blocks, every text within its limit, cut marked, no lone surrogate',
    (_what, render, whole) => {
      const message = render();
      expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
      expect(slackTextsOverLimit(message)).toEqual([]);
      expect(slackLimitError('chat.postMessage', { text: message.text, blocks: message.blocks })).toBeUndefined();
      // Cut (and said so) only where the whole would not fit: 3,000 × 49 sections or 40,000 for `text`.
      if (whole && text.length > SLACK_LIMITS.messageText) expect(message.text).toMatch(/\((shortened|abbreviato)\)$/);
      expect(JSON.stringify(message)).not.toMatch(LONE_SURROGATE);
    },
  );

  it('Slack App Home: within 100 blocks, the header within 150, the rest counted', () => {
    const view = renderHome(home(text), 'it');
    expect(view.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerView);
    expect(slackTextsOverLimit({ text: '', blocks: view.blocks })).toEqual([]);
    expect(slackLimitError('views.publish', { view })).toBeUndefined();
    expect(JSON.stringify(view)).toMatch(/e altre \d+/);
  });

  it.each([
    ['customer prompt card', () => teamsMessage(prompt(text))],
    ['agent relay card', () => teamsMessage(agent(text))],
    ['helpdesk hand-off card', () => teamsHandoff(handoff(text))],
    ['helpdesk thread relay card', () => teamsNote({ from: 'customer', text })],
  ])('Teams %s: the activity within the budget, cut marked, no lone surrogate', (_what, render) => {
    const activity = render();
    expect(activityBytes(activity)).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
    expect(CARD_BUDGET_BYTES).toBeLessThan(CONNECTOR_MAX_BYTES);
    expect(JSON.stringify(activity)).toMatch(/\\\\\((shortened|abbreviato)\\\\\)/); // escaped for the card: \\(shortened\\)
    expect(JSON.stringify(activity)).not.toMatch(LONE_SURROGATE);
  });
});

describe('platform limits: what fits is left alone', () => {
  it('a short prompt renders whole on both platforms, with no cut marker', () => {
    const short = prompt('Scrivimi le aziende che vedi.');
    expect(JSON.stringify(slackMessage(short))).not.toMatch(/abbreviato|shortened/);
    expect(JSON.stringify(teamsMessage(short))).not.toMatch(/abbreviato|shortened/);
  });

  it('the cut marker follows the message language: Italian by default, English for an English message', () => {
    const long = 'x'.repeat(200_000);
    expect(slackMessage(prompt(long)).text).toMatch(/\(abbreviato\)$/);
    expect(slackMessage({ ...prompt(long), locale: 'en' }).text).toMatch(/\(shortened\)$/);
    expect(JSON.stringify(teamsMessage({ ...prompt(long), locale: 'en' }))).toMatch(/shortened/);
  });
});
