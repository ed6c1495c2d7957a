import { describe, expect, it } from '@jest/globals';
import type { Activity } from 'botbuilder';
import { localeOf, stripBotMention, toTeamsInput } from '../../../adapters/teams/to-event.js';
import { parseSubmitValue } from '../../../adapters/teams/submit-value.js';

const teams = { allowedChannels: ['msteams'] };
const bot = { id: '28:bot', name: 'TSID' };
const base = (fields: Partial<Activity> = {}): Partial<Activity> => ({
  type: 'message',
  id: '1712345678901',
  channelId: 'msteams',
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  locale: 'it-IT',
  from: { id: '29:u', name: 'Anna Bianchi', aadObjectId: 'aad-1' },
  recipient: bot,
  conversation: { id: 'a:conv', conversationType: 'personal', tenantId: 'T1', isGroup: false, name: '' },
  ...fields,
});

describe('toTeamsInput: messages', () => {
  it('turns a personal message into user.text for {teams, tenant, AAD user}, keyed by conversation and activity id', () => {
    const input = toTeamsInput(base({ text: '  Bar Roma 01234567897\nTrattoria  ' }), teams);
    expect(input).toMatchObject({
      kind: 'turn',
      inbound: {
        key: { channel: 'teams', tenant: 'T1', user: 'aad-1' },
        event: { type: 'user.text', text: 'Bar Roma 01234567897\nTrattoria' },
        idempotencyKey: 'teams:a:conv:1712345678901',
        locale: 'it',
      },
    });
  });

  it('keeps in the reference only what delivery needs: no display names', () => {
    const input = toTeamsInput(base({ text: 'x' }), teams);
    const reference = input.kind === 'turn' ? (input.inbound.reference as Record<string, { name?: string }>) : {};
    expect(reference).toMatchObject({
      channelId: 'msteams',
      serviceUrl: 'https://smba.trafficmanager.net/emea/',
      conversation: { id: 'a:conv' },
    });
    expect(JSON.stringify(reference)).not.toContain('Anna');
  });

  it('falls back to channelData.tenant and from.id', () => {
    const input = toTeamsInput(
      base({
        text: 'x',
        from: { id: '29:u', name: '' },
        conversation: { id: 'c', isGroup: false, name: '', conversationType: 'personal' },
        channelData: { tenant: { id: 'T2' } },
      }),
      teams,
    );
    expect(input).toMatchObject({ inbound: { key: { tenant: 'T2', user: '29:u' } } });
  });

  it('ignores other channels, other activity types and empty messages', () => {
    expect(toTeamsInput(base({ channelId: 'emulator', text: 'x' }), teams)).toMatchObject({ kind: 'ignore' });
    expect(
      toTeamsInput(base({ channelId: 'emulator', text: 'x' }), { allowedChannels: ['msteams', 'emulator'] }),
    ).toMatchObject({ kind: 'turn' });
    expect(toTeamsInput(base({ channelId: 'webchat', text: 'x' }), teams)).toMatchObject({
      kind: 'ignore',
      reason: 'channel webchat not served',
    });
    expect(toTeamsInput(base({ type: 'typing' }), teams)).toMatchObject({ kind: 'ignore' });
    expect(toTeamsInput(base({ text: '   ' }), teams)).toMatchObject({ kind: 'ignore' });
    expect(toTeamsInput(base({ text: 'x', from: undefined }), teams)).toMatchObject({ kind: 'ignore' });
  });

  it('sends a team-channel message, its bot mention removed, to the personal chat', () => {
    const activity = base({
      text: '<at>TSID</at> ciao',
      conversation: {
        id: '19:abc@thread.tacv2;messageid=1',
        conversationType: 'channel',
        tenantId: 'T1',
        isGroup: true,
        name: '',
      },
      entities: [{ type: 'mention', text: '<at>TSID</at>', mentioned: bot }],
    });
    expect(toTeamsInput(activity, teams)).toEqual({
      kind: 'elsewhere',
      key: { channel: 'teams', tenant: 'T1', user: 'aad-1' },
      locale: 'it',
      text: 'ciao',
    });
  });
});

describe('toTeamsInput: card submits', () => {
  const submit = (value: unknown, replyToId = 'm5') => toTeamsInput(base({ value, replyToId }), teams);

  it('a choice is user.choice keyed by the card, so a second submit of that card is a duplicate', () => {
    const input = submit({ tsid: 'choice', choiceId: 'yes', label: 'Sì', prompt: 'Hai già un TS ID?' });
    expect(input).toMatchObject({
      kind: 'turn',
      inbound: { event: { type: 'user.choice', choiceId: 'yes' }, idempotencyKey: 'teams:card:a:conv:m5' },
      answered: { cardIds: ['m5'], prompt: 'Hai già un TS ID?', label: 'Sì' },
    });
    expect(submit({ choiceId: 'yes' }, 'm5')).toMatchObject({ inbound: { idempotencyKey: 'teams:card:a:conv:m5' } });
  });

  it('a choice with a confirmation asks first; the confirmed "yes" counts for the original card', () => {
    const confirm = { title: 'Sicuro?', text: 'Scolleghi ACME (P.IVA 01234567897)', yes: 'Sì', no: 'No' };
    expect(submit({ tsid: 'choice', choiceId: 'unlink', label: 'Scollega', confirm })).toMatchObject({
      kind: 'confirm',
      choiceId: 'unlink',
      confirm,
      origin: 'm5',
    });
    expect(
      submit({ tsid: 'confirmed', choiceId: 'unlink', label: 'Sì', prompt: 'Sicuro?', origin: 'm5' }, 'm6'),
    ).toMatchObject({
      kind: 'turn',
      inbound: { event: { type: 'user.choice', choiceId: 'unlink' }, idempotencyKey: 'teams:card:a:conv:m5' },
      answered: { cardIds: ['m6', 'm5'] },
    });
    expect(submit({ tsid: 'cancelled', label: 'No', prompt: 'Sicuro?' }, 'm6')).toEqual({
      kind: 'cancel',
      cardId: 'm6',
      label: 'No',
      prompt: 'Sicuro?',
    });
  });

  it.each([
    ['a string', 'yes'],
    ['an array', [{ choiceId: 'yes' }]],
    ['no choiceId', { label: 'x' }],
    ['a number choiceId', { choiceId: 7 }],
    ['an empty choiceId', { choiceId: '' }],
    ['an unknown kind', { tsid: 'execute', choiceId: 'yes' }],
    ['an oversized label', { choiceId: 'yes', label: 'x'.repeat(301) }],
    ['a broken confirmation', { choiceId: 'unlink', confirm: { title: 'x' } }],
  ])('ignores a submit with %s', (_what, value) => {
    expect(parseSubmitValue(value)).toBeUndefined();
    expect(submit(value)).toMatchObject({ kind: 'ignore', reason: 'unrecognised card submit' });
  });
});

describe('toTeamsInput: conversationUpdate', () => {
  const update = (fields: Partial<Activity>) => toTeamsInput(base({ type: 'conversationUpdate', ...fields }), teams);

  it('the bot added to a personal chat starts the guide', () => {
    expect(update({ membersAdded: [bot] })).toMatchObject({
      kind: 'turn',
      inbound: { event: { type: 'session.start' }, locale: 'it' },
    });
  });

  it('ignores other members joining, and the bot added to a team', () => {
    expect(update({ membersAdded: [{ id: '29:other', name: '' }] })).toMatchObject({ kind: 'ignore' });
    const channel = { id: '19:x@thread.tacv2', conversationType: 'channel', isGroup: true, name: '' };
    expect(update({ membersAdded: [bot], conversation: channel })).toMatchObject({ kind: 'ignore' });
  });
});

describe('localeOf and stripBotMention', () => {
  it('maps it-* and en-* and leaves other languages to the flow', () => {
    expect(localeOf({ locale: 'it-IT' })).toBe('it');
    expect(localeOf({ locale: 'en-GB' })).toBe('en');
    expect(localeOf({ locale: 'de-DE' })).toBeUndefined();
    expect(localeOf({ entities: [{ type: 'clientInfo', locale: 'en-US' }] })).toBe('en');
    expect(localeOf({})).toBeUndefined();
  });

  it("removes only the bot's own mention", () => {
    const activity = base({
      text: '<at>TSID</at> ask <at>Mario</at>',
      entities: [
        { type: 'mention', text: '<at>TSID</at>', mentioned: bot },
        { type: 'mention', text: '<at>Mario</at>', mentioned: { id: '29:mario', name: 'Mario' } },
      ],
    });
    expect(stripBotMention(activity)).toBe('ask <at>Mario</at>');
  });
});
