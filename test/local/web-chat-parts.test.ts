import { describe, expect, it } from '@jest/globals';
import { parseChatPost } from '../../adapters/local/web-chat-request.js';
import { WebChatSessions } from '../../adapters/local/web-chat-sessions.js';
import { toChatLine } from '../../adapters/local/web-chat-view.js';

describe('web chat parts', () => {
  it("keeps http(s) links only, and the danger choice's confirmation", () => {
    const confirm = { title: 'Sicuro?', text: 'Non si torna indietro', yes: 'Sì', no: 'No' };
    const line = toChatLine({
      kind: 'prompt',
      step: 'invoice.unlink',
      text: 'Scollega',
      choices: [{ id: 'yes', label: 'Sì, scollega', style: 'danger', confirm }],
      links: [
        { label: 'ok', url: 'https://example.test/a' },
        { label: 'bad', url: 'javascript:alert(1)' },
        { label: 'data', url: 'data:text/html,x' },
      ],
    });
    expect(line.links).toEqual([{ label: 'ok', url: 'https://example.test/a' }]);
    expect(line.choices).toEqual([{ id: 'yes', label: 'Sì, scollega', style: 'danger', confirm }]);
  });

  it('masks personal data in the helpdesk summary', () => {
    const line = toChatLine({
      kind: 'handoff.request',
      summary: {
        reason: 'stuck',
        step: 'invoice.invite',
        locale: 'it',
        companies: [{ name: 'Bar', vat: 'IT01234567890', status: 'invited' }],
        email: 'mario.rossi@example.it',
        lastMessages: ['scrivi a mario.rossi@example.it'],
      },
    });
    expect(line.from).toBe('helpdesk');
    expect(line.text).not.toContain('mario.rossi@example.it');
    expect(line.text).not.toContain('01234567890');
    expect(line.text).toContain('Hand-off requested (stuck) at invoice.invite');
  });

  it('bounds lines per session and the number of sessions, forgetting the least recently used', () => {
    const sessions = new WebChatSessions({ sessions: 2, linesPerSession: 3 });
    for (let i = 1; i <= 5; i++) sessions.append('a', { from: 'you', text: `a${i}` });
    expect(sessions.after('a', 0)).toEqual({
      messages: [3, 4, 5].map((n) => expect.objectContaining({ seq: n, text: `a${n}` })),
      last: 5,
    });
    sessions.append('b', { from: 'you', text: 'b1' });
    sessions.after('a', 0); // a is now more recent than b
    sessions.append('c', { from: 'you', text: 'c1' });
    expect(sessions.size).toBe(2);
    expect(sessions.after('b', 0)).toEqual({ messages: [], last: 0 });
    expect(sessions.after('a', 5).messages).toEqual([]);
    expect(sessions.after('a', 99).messages).toHaveLength(3); // a page ahead of the server catches up
  });

  it('parses local commands like the terminal, and refuses what it does not know', () => {
    const agent = { name: 'Agent' };
    const take = parseChatPost({ text: '/agent take Giulia' });
    expect('error' in take ? undefined : take.toEvent(agent)).toEqual({ type: 'agent.accepted', agentName: 'Giulia' });
    const close = parseChatPost({ text: '/agent close' });
    expect('error' in close ? undefined : close.toEvent(agent)).toEqual({ type: 'agent.closed', agentName: 'Giulia' });
    const dance = parseChatPost({ text: '/agent dance' });
    expect('error' in dance ? 'parse error' : dance.toEvent(agent)).toBeUndefined();
    expect(parseChatPost([])).toEqual({ error: 'body must be a JSON object' });
    expect(parseChatPost({ text: '  /agents are people  ' })).toMatchObject({
      kind: 'text',
      text: '/agents are people',
    });
  });
});
