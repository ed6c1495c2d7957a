import { describe, expect, it } from '@jest/globals';
import { cleanText, truncateText } from '../../src/contract/text-hygiene.js';
import { cleanInboundEvent } from '../../src/engine/clean-inbound.js';
import { ConversationEngine, type Delivery, type InboundEvent } from '../../src/engine/index.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { MemoryReminderScheduler } from '../../src/scheduler/reminder-scheduler.js';
import { MemoryConversationStore } from '../../src/store/conversation-store.js';
import { createEchoFlow } from '../adapters/slack/echo-flow.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('cleanText', () => {
  it('replaces a lone high or low surrogate with U+FFFD and keeps a real pair', () => {
    expect(cleanText('veleno \uD83D')).toBe('veleno \uFFFD');
    expect(cleanText('\uDC1F coda')).toBe('\uFFFD coda');
    expect(cleanText('Acme \uD83D Srl')).toBe('Acme \uFFFD Srl');
    expect(cleanText('\uDC1F\uD83D')).toBe('\uFFFD\uFFFD'); // a pair in the wrong order is two lone halves
    expect(cleanText('pesce 🐟 e 👩‍💻')).toBe('pesce 🐟 e 👩‍💻');
  });

  it('composes to NFC', () => {
    expect(cleanText('Caffe\u0301')).toBe('Caff\u00e9');
    expect(cleanText('Caff\u00e9')).toBe('Caff\u00e9');
  });

  it('removes NUL, the other C0 controls, DEL and the C1 controls, and keeps tab and newline', () => {
    expect(cleanText('A\u0000c\u0001m\u0007e\u001B[31m\u007F\u0085\u009F')).toBe('Acme[31m');
    expect(cleanText('riga 1\n\triga 2')).toBe('riga 1\n\triga 2');
  });

  it('turns CR LF and a lone CR into a newline', () => {
    expect(cleanText('uno\r\ndue\rtre')).toBe('uno\ndue\ntre');
  });

  it('removes every bidi embedding, override and isolate (U+202A–U+202E, U+2066–U+2069)', () => {
    const bidi = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069'];
    for (const control of bidi) expect(cleanText(`Bar ${control}Roma`)).toBe('Bar Roma');
    // Marks that do not override anything stay (U+200E/U+200F), as do Arabic and Hebrew letters.
    expect(cleanText('\u200Fשלום مرحبا')).toBe('\u200Fשלום مرحبا');
  });

  it('leaves plain Italian text as it is and is idempotent', () => {
    const samples = ['Bar Roma 00743110157, Caffè Nero', 'fatto!', 'A\u0000\u202E\uD83D b\r\nc'];
    expect(cleanText(samples[0])).toBe(samples[0]);
    for (const sample of samples) expect(cleanText(cleanText(sample))).toBe(cleanText(sample));
  });
});

describe('truncateText', () => {
  it('never cuts inside a surrogate pair: an emoji at the cut is kept whole', () => {
    const cut = truncateText(`${'x'.repeat(29)}🐟${'y'.repeat(10)}`, 30);
    expect(cut).toBe(`${'x'.repeat(29)}🐟`);
    expect(LONE_SURROGATE.test(cut)).toBe(false);
  });

  it('counts user-perceived characters: emoji sequences and accents stay whole', () => {
    expect(truncateText('👩‍💻👩‍💻👩‍💻', 2)).toBe('👩‍💻👩‍💻');
    expect(truncateText('🇮🇹🇬🇧', 1)).toBe('🇮🇹');
    expect(truncateText('Cafe\u0301 Roma', 4)).toBe('Cafe\u0301');
    expect(truncateText('Bar', 30)).toBe('Bar');
    expect(truncateText('', 3)).toBe('');
  });
});

describe('the engine cleans every inbound text once, for every channel', () => {
  const events: InboundEvent[] = [
    { type: 'user.text', text: 'veleno \uD83D\u202E' },
    { type: 'user.choice', choiceId: 'yes', text: 'sì\u0000' },
    { type: 'agent.text', agentName: 'Anna\u202E', text: 'ciao \uD83D' },
    { type: 'agent.accepted', agentName: 'Anna\u0000' },
    { type: 'agent.handback', agentName: 'Anna\u2066', step: 'tsid.intro' },
    { type: 'agent.closed', agentName: 'Anna\u0007' },
  ];

  it('cleans the text and the agent name of each event that carries typed text', () => {
    expect(events.map(cleanInboundEvent)).toEqual([
      { type: 'user.text', text: 'veleno \uFFFD' },
      { type: 'user.choice', choiceId: 'yes', text: 'sì' },
      { type: 'agent.text', agentName: 'Anna', text: 'ciao \uFFFD' },
      { type: 'agent.accepted', agentName: 'Anna' },
      { type: 'agent.handback', agentName: 'Anna', step: 'tsid.intro' },
      { type: 'agent.closed', agentName: 'Anna' },
    ]);
  });

  it('hands the flow the cleaned text (ConversationEngine.handle)', async () => {
    const delivered: Delivery[] = [];
    const clock = new ManualClock();
    const engine = new ConversationEngine({
      flow: createEchoFlow(),
      store: new MemoryConversationStore(() => clock.now()),
      scheduler: new MemoryReminderScheduler(),
      clock,
      deliver: async (delivery) => void delivered.push(delivery),
    });
    const key = { channel: 'local', tenant: 'local', user: 'u1' } as const;
    await engine.handle({ key, event: { type: 'session.start' } });
    await engine.handle({ key, event: { type: 'user.text', text: 'veleno \uD83D\u0000\u202E!' } });
    expect(delivered.at(-1)?.message).toMatchObject({ text: 'you said: veleno \uFFFD!' });
  });
});
