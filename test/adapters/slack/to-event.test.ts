import { describe, expect, it } from '@jest/globals';
import { commandEvent, fromBlockActions, fromCommand, fromEventEnvelope } from '../../../adapters/slack/to-event.js';
import { clip, decodeSlackText, splitText } from '../../../adapters/slack/slack-text.js';

const envelope = (event: Record<string, unknown>) => ({
  team_id: 'T1',
  event_id: 'Ev1',
  type: 'event_callback',
  event,
});
const dm = (extra: Record<string, unknown> = {}) =>
  envelope({ type: 'message', channel_type: 'im', channel: 'D1', user: 'U1', text: 'ciao', ts: '1.1', ...extra });
const bot = { botUserId: 'UBOT' };

describe('fromEventEnvelope', () => {
  it('turns a DM into user.text for the user, keyed by event_id, answered in that DM', () => {
    expect(fromEventEnvelope(dm({ text: 'Rossi &amp; Figli &lt;srl&gt; <mailto:a@b.it|a@b.it>' }), bot)).toEqual({
      kind: 'turn',
      key: { channel: 'slack', tenant: 'T1', user: 'U1' },
      event: { type: 'user.text', text: 'Rossi & Figli <srl> a@b.it' },
      idempotencyKey: 'slack:evt:Ev1',
      dm: 'D1',
    });
  });

  it.each([
    ['another bot', dm({ bot_id: 'B9', user: undefined, subtype: 'bot_message' }), 'bot'],
    ['another app posting as a user', dm({ bot_id: 'B9' }), 'bot'],
    ['our own message', dm({ user: 'UBOT' }), 'bot'],
    ['an edit', dm({ subtype: 'message_changed', user: undefined, message: { text: 'x' } }), 'edit'],
    ['a deletion', dm({ subtype: 'message_deleted', user: undefined }), 'edit'],
    ['an edited flag', dm({ edited: { user: 'U1', ts: '2.2' } }), 'edit'],
    ['a join notice', dm({ subtype: 'channel_join' }), 'subtype'],
    ['a channel message', dm({ channel_type: 'channel', channel: 'C1' }), 'not-dm'],
    ['an empty message', dm({ text: '   ' }), 'empty'],
    ['no event id', { team_id: 'T1', event: dm().event }, 'malformed'],
    ['no user', dm({ user: undefined }), 'malformed'],
    ['an unknown event', envelope({ type: 'reaction_added', user: 'U1' }), 'malformed'],
    ['garbage', 'not an object', 'malformed'],
  ])('ignores %s', (_name, body, reason) => {
    expect(fromEventEnvelope(body, bot)).toEqual({ kind: 'ignore', reason });
  });

  it('keeps a file share with text', () => {
    expect(fromEventEnvelope(dm({ subtype: 'file_share', text: 'ecco' }), bot)).toMatchObject({
      kind: 'turn',
      event: { text: 'ecco' },
    });
  });

  it('turns a channel mention into a turn answered in the DM (no dm given: the wiring opens it)', () => {
    const mention = envelope({
      type: 'app_mention',
      channel: 'C1',
      user: 'U1',
      text: '<@UBOT> aiuto per <#C2|fatture>',
      ts: '1.1',
    });
    expect(fromEventEnvelope(mention, bot)).toEqual({
      kind: 'turn',
      key: { channel: 'slack', tenant: 'T1', user: 'U1' },
      event: { type: 'user.text', text: 'aiuto per #fatture' },
      idempotencyKey: 'slack:evt:Ev1',
    });
    const bare = envelope({ type: 'app_mention', channel: 'C1', user: 'U1', text: '<@UBOT>', ts: '1.1' });
    expect(fromEventEnvelope(bare, bot)).toMatchObject({ kind: 'turn', event: { type: 'session.start' } });
  });

  it('ignores a mention in a DM (its message event counts) and in the helpdesk channel', () => {
    const inDm = envelope({ type: 'app_mention', channel: 'D1', user: 'U1', text: '<@UBOT> hi' });
    expect(fromEventEnvelope(inDm, bot)).toEqual({ kind: 'ignore', reason: 'dm-mention' });
    const inHelpdesk = envelope({ type: 'app_mention', channel: 'CHELP', user: 'U1', text: '<@UBOT> hi' });
    expect(fromEventEnvelope(inHelpdesk, { ...bot, helpdeskChannel: 'CHELP' })).toEqual({
      kind: 'ignore',
      reason: 'helpdesk',
    });
  });
});

describe('fromCommand', () => {
  it.each([
    ['', { type: 'session.start' }],
    ['start', { type: 'session.start' }],
    ['  STATUS ', { type: 'cmd.status' }],
    ['stato', { type: 'cmd.status' }],
    ['restart', { type: 'cmd.restart' }],
    ['ricomincia', { type: 'cmd.restart' }],
    ['agent', { type: 'cmd.agent' }],
    ['operatore', { type: 'cmd.agent' }],
    ['help', { type: 'cmd.help' }],
    ['aiuto', { type: 'cmd.help' }],
    ['lingua en', { type: 'cmd.language', locale: 'en' }],
    ['language it', { type: 'cmd.language', locale: 'it' }],
  ])('/tsid %s', (text, event) => {
    expect(commandEvent(text)).toEqual(event);
  });

  it.each(['lingua de', 'lingua', 'start now', 'foo', 'constructor', 'toString'])(
    '/tsid %s is not a command',
    (text) => {
      expect(commandEvent(text)).toBeUndefined();
    },
  );

  it('keys a command by its trigger id and answers bad input with the usage', () => {
    const body = { team_id: 'T1', user_id: 'U1', channel_id: 'C1', command: '/tsid', trigger_id: 'tr1' };
    expect(fromCommand({ ...body, text: 'status' })).toEqual({
      kind: 'turn',
      key: { channel: 'slack', tenant: 'T1', user: 'U1' },
      event: { type: 'cmd.status' },
      idempotencyKey: 'slack:cmd:tr1',
    });
    expect(fromCommand({ ...body, text: 'lingua fr' })).toEqual({
      kind: 'usage',
      key: { channel: 'slack', tenant: 'T1', user: 'U1' },
    });
    expect(fromCommand({ text: 'status' })).toEqual({ kind: 'ignore', reason: 'malformed' });
  });
});

describe('fromBlockActions', () => {
  const payload = (action: Record<string, unknown>) => ({
    type: 'block_actions',
    team: { id: 'T1' },
    user: { id: 'U1', team_id: 'T1' },
    container: { type: 'message', channel_id: 'D1', message_ts: '111.222' },
    channel: { id: 'D1' },
    message: { ts: '111.222', blocks: [{ type: 'section' }] },
    actions: [{ type: 'button', action_ts: '999.1', ...action }],
  });

  it('turns a choice click into user.choice, keyed by the message so a double click is one turn', () => {
    const click = payload({ action_id: 'choice:yes', value: 'yes', text: { type: 'plain_text', text: 'Sì' } });
    expect(fromBlockActions(click)).toEqual({
      kind: 'turn',
      key: { channel: 'slack', tenant: 'T1', user: 'U1' },
      event: { type: 'user.choice', choiceId: 'yes' },
      idempotencyKey: 'slack:click:D1:111.222',
      dm: 'D1',
      clicked: { channel: 'D1', ts: '111.222', choiceId: 'yes' },
    });
    const again = payload({ action_id: 'choice:no', value: 'no', action_ts: '999.2' });
    expect(fromBlockActions(again)).toMatchObject({ idempotencyKey: 'slack:click:D1:111.222' });
  });

  it('ignores link buttons and malformed payloads', () => {
    expect(fromBlockActions(payload({ action_id: 'link:0', url: 'https://x' }))).toEqual({
      kind: 'ignore',
      reason: 'link',
    });
    expect(fromBlockActions({ actions: [] })).toEqual({ kind: 'ignore', reason: 'malformed' });
    expect(
      fromBlockActions({ ...payload({ action_id: 'choice:yes', value: 'yes' }), container: {}, channel: undefined }),
    ).toEqual({
      kind: 'ignore',
      reason: 'malformed',
    });
  });
});

describe('slack text', () => {
  it.each([
    ['<@U123>', '@U123'],
    ['<@U123|anna>', '@anna'],
    ['<#C1|general>', '#general'],
    ['<!channel> <!here>', '@channel @here'],
    ['<!subteam^S1|@helpdesk>', '@helpdesk'],
    ['<https://x.example/a?b=1&amp;c=2|x.example>', 'x.example'],
    ['<https://x.example>', 'https://x.example'],
    ['<mailto:a@b.it|a@b.it>', 'a@b.it'],
    ['a &lt;b&gt; &amp;amp;', 'a <b> &amp;'],
  ])('decodes %s', (slack, plain) => {
    expect(decodeSlackText(slack)).toBe(plain);
  });

  it('clips by characters, not UTF-16 units', () => {
    expect(clip('😀😀😀', 2)).toBe('😀…');
    expect(clip('abc', 3)).toBe('abc');
  });

  it('splits long text at word boundaries without losing any', () => {
    const text = 'alpha beta gamma delta';
    expect(splitText(text, 11)).toEqual(['alpha beta', 'gamma delta']);
    expect(splitText('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
    expect(splitText('', 10)).toEqual(['']);
  });
});
