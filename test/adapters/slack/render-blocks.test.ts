import { describe, expect, it } from '@jest/globals';
import { renderAnswered, renderMessage, renderText } from '../../../adapters/slack/render-blocks.js';
import { renderHome } from '../../../adapters/slack/render-home.js';
import type { PromptMessage, StatusView } from '../../../src/engine/index.js';
import { readBlocks } from './read-blocks.js';

const HOSTILE = '<!channel> <@U123> <https://evil.example|click> *bold* &amp;';

const unlinkPrompt = (company: string): PromptMessage => ({
  kind: 'prompt',
  step: 'invoice.confirm-unlink',
  text: `You are about to unlink ${company}.`,
  choices: [
    {
      id: 'unlink',
      label: `Yes, unlink ${company}`,
      style: 'danger',
      confirm: { title: 'Unlink?', text: `Unlink ${company} (VAT 01234567897)?`, yes: 'Unlink', no: 'Cancel' },
    },
    { id: 'skip', label: 'No, skip it', style: 'primary' },
  ],
  links: [{ label: 'Portal', url: 'https://portal.example/login' }],
});

/** Every Block Kit text object in a structure, wherever it sits. */
function textObjects(value: unknown): { type: string; text: string }[] {
  if (Array.isArray(value)) return value.flatMap(textObjects);
  if (value === null || typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  const own =
    (record.type === 'plain_text' || record.type === 'mrkdwn') && typeof record.text === 'string'
      ? [record as { type: string; text: string }]
      : [];
  return [...own, ...Object.values(record).flatMap(textObjects)];
}

/** Inert: plain_text only (Slack shows it verbatim), and the hostile text shown as typed. */
function expectInert(structure: unknown): void {
  const texts = textObjects(structure);
  expect(texts.filter((t) => t.type !== 'plain_text')).toEqual([]);
  expect(texts.some((t) => t.text.includes(HOSTILE))).toBe(true);
}

/** The fallback text is mrkdwn-parsed by Slack: no raw `<` or `>`, every `&` an entity. */
function expectEscaped(fallback: string): void {
  expect(fallback).not.toMatch(/[<>]/);
  expect(fallback).not.toMatch(/&(?!amp;|lt;|gt;)/);
  expect(fallback).toContain('&lt;!channel&gt; &lt;@U123&gt; &lt;https://evil.example|click&gt; *bold* &amp;amp;');
}

describe('renderMessage', () => {
  it('renders text, choice buttons (ids, styles, confirmation) and link buttons', () => {
    const { blocks } = renderMessage(unlinkPrompt('Bar Roma'));
    expect(blocks[0]).toEqual({
      type: 'section',
      text: { type: 'plain_text', text: 'You are about to unlink Bar Roma.', emoji: false },
    });
    expect(blocks[1]).toMatchObject({
      type: 'actions',
      block_id: 'choices',
      elements: [
        {
          action_id: 'choice:unlink',
          value: 'unlink',
          style: 'danger',
          confirm: {
            title: { text: 'Unlink?' },
            text: { text: 'Unlink Bar Roma (VAT 01234567897)?' },
            confirm: { text: 'Unlink' },
            deny: { text: 'Cancel' },
            style: 'danger',
          },
        },
        { action_id: 'choice:skip', value: 'skip', style: 'primary' },
      ],
    });
    expect(blocks[2]).toMatchObject({
      type: 'actions',
      block_id: 'links',
      elements: [{ url: 'https://portal.example/login', text: { text: 'Portal' } }],
    });
    expect(readBlocks(blocks)).toEqual({
      audience: 'customer',
      text: 'You are about to unlink Bar Roma.',
      choices: ['Yes, unlink Bar Roma', 'No, skip it'],
      links: [{ label: 'Portal', url: 'https://portal.example/login' }],
    });
  });

  it('renders a hostile company name inert in the message, its buttons and the confirmation', () => {
    const message = renderMessage(unlinkPrompt(HOSTILE));
    expectInert(message.blocks[0]);
    const [unlink] = (message.blocks[1] as { elements: { confirm: unknown }[] }).elements;
    expectInert(unlink.confirm);
    expectEscaped(message.text);
  });

  it('keeps every text within Block Kit limits', () => {
    const long = `${'word '.repeat(1300)}end`;
    const message = renderMessage({
      kind: 'prompt',
      step: 's',
      text: long,
      choices: [
        {
          id: 'x',
          label: 'L'.repeat(100),
          confirm: { title: 'T'.repeat(150), text: 'X'.repeat(400), yes: 'Y'.repeat(40), no: 'N'.repeat(40) },
        },
      ],
    });
    const sections = message.blocks.filter((b) => b.type === 'section') as { text: { text: string } }[];
    expect(sections.length).toBe(3);
    expect(sections.every((s) => s.text.text.length <= 3000)).toBe(true);
    expect(sections.map((s) => s.text.text).join(' ')).toBe(long);
    const button = (
      message.blocks.at(-1) as unknown as {
        elements: { text: { text: string }; confirm: Record<string, { text: string }> }[];
      }
    ).elements[0];
    expect([...button.text.text].length).toBe(75);
    expect(button.text.text.endsWith('…')).toBe(true);
    expect([
      button.confirm.title.text.length,
      button.confirm.text.text.length,
      button.confirm.confirm.text.length,
    ]).toEqual([100, 300, 30]);
  });

  it('splits more than 25 choices over several actions blocks', () => {
    const choices = Array.from({ length: 30 }, (_, i) => ({ id: `c${i}`, label: `C${i}` }));
    const { blocks } = renderMessage({ kind: 'prompt', step: 's', text: 'pick', choices });
    expect(blocks.map((b) => b.block_id ?? b.type)).toEqual(['section', 'choices', 'choices.1']);
    expect(readBlocks(blocks).choices).toHaveLength(30);
  });

  it('marks an agent message as from the agent, inert', () => {
    const message = renderMessage({ kind: 'agent.text', agentName: 'Giulia', text: HOSTILE });
    expect(readBlocks(message.blocks).text).toBe(`Giulia: ${HOSTILE}`);
    expectInert(message.blocks);
    expectEscaped(message.text);
  });

  it('renders a runtime sentence as plain text', () => {
    expect(readBlocks(renderText('Riprova tra un minuto.').blocks).text).toBe('Riprova tra un minuto.');
  });
});

describe('renderAnswered', () => {
  it('redraws the question without its choice buttons, keeps text and links, and shows the answer', () => {
    const answered = renderAnswered(unlinkPrompt(HOSTILE), 'unlink')!;
    const read = readBlocks(answered.blocks);
    expect(read.choices).toEqual([]);
    expect(read.links).toEqual([{ label: 'Portal', url: 'https://portal.example/login' }]);
    expect(read.text).toBe(`You are about to unlink ${HOSTILE}. ✔ Yes, unlink ${HOSTILE}`);
    expectInert(answered.blocks);
    expect(answered.text).not.toMatch(/[<>]/);
  });

  it('draws nothing for a choice the question does not offer', () => {
    expect(renderAnswered(unlinkPrompt('Bar Roma'), 'not-offered')).toBeUndefined();
    expect(renderAnswered({ kind: 'prompt', step: 's', text: 'no choices' }, 'unlink')).toBeUndefined();
  });
});

describe('renderHome', () => {
  const status: StatusView = {
    locale: 'en',
    step: 'invoice.unlink',
    stepTitle: 'Unlinking the companies',
    companies: [
      { name: HOSTILE, vat: '01234567897', status: 'confirmed', statusLabel: 'confirmed' },
      { name: 'Bar Roma', status: 'active', statusLabel: 'active again' },
    ],
  };

  it('shows the step and each company with its status, inert', () => {
    const view = renderHome(status, 'it');
    expect(view.type).toBe('home');
    const texts = textObjects(view.blocks).map((t) => t.text);
    expect(texts).toEqual(
      expect.arrayContaining([
        'Where you are',
        'Unlinking the companies',
        `${HOSTILE} (VAT 01234567897)`,
        'confirmed',
        'Bar Roma',
        'active again',
      ]),
    );
    expectInert(view.blocks);
  });

  it('invites a customer who has not started, in their language', () => {
    expect(
      textObjects(renderHome(undefined, 'it').blocks)
        .map((t) => t.text)
        .join(' '),
    ).toContain('/tsid start');
    expect(
      textObjects(renderHome(undefined, 'en').blocks)
        .map((t) => t.text)
        .join(' '),
    ).toContain("You haven't started");
  });

  it('stays within 100 blocks for many companies', () => {
    const many = {
      ...status,
      companies: Array.from({ length: 150 }, (_, i) => ({
        name: `Shop ${i}`,
        status: 'pending' as const,
        statusLabel: 'pending',
      })),
    };
    const view = renderHome(many, 'en');
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(textObjects(view.blocks).at(-1)?.text).toBe('…and 60 more.');
  });
});
