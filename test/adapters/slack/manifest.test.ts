import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';

const root = new URL('../../../adapters/slack/', import.meta.url);
const manifest = readFileSync(new URL('manifest.yml', root), 'utf8');
const source = readdirSync(root)
  .filter((file) => file.endsWith('.ts'))
  .map((file) => readFileSync(new URL(file, root), 'utf8'))
  .join('\n');

/** The `- item` lines under `key:` in the YAML (enough for this flat manifest). */
function list(key: string): string[] {
  const lines = manifest.split('\n');
  const start = lines.findIndex((line) => line.trim() === `${key}:`);
  const indent = lines[start].search(/\S/);
  const items: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim().startsWith('#')) continue;
    if (line.search(/\S/) <= indent) break;
    items.push(line.trim().replace(/^- /, ''));
  }
  return items;
}

/** The bot scopes each Web API method we call needs (none: no scope). */
const SCOPES: Record<string, string | string[] | undefined> = {
  'chat.postEphemeral': 'chat:write',
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'conversations.members': ['channels:read', 'groups:read'],
  'conversations.open': 'im:write',
  'users.info': 'users:read',
  'users.lookupByEmail': 'users:read.email',
  'auth.test': undefined,
  'views.publish': undefined,
};
/** The manifest events each Bolt listener needs, and their scopes (DMs; the helpdesk channel, public or private). */
const EVENTS: Record<string, { event: string[]; scope?: string[] }> = {
  message: {
    event: ['message.im', 'message.channels', 'message.groups'],
    scope: ['im:history', 'channels:history', 'groups:history'],
  },
  app_mention: { event: ['app_mention'], scope: ['app_mentions:read'] },
  app_home_opened: { event: ['app_home_opened'] },
};

describe('the Slack app manifest', () => {
  const methods = [...new Set([...source.matchAll(/client\.(\w+)\.(\w+)\(/g)].map((m) => `${m[1]}.${m[2]}`))].sort();
  const listeners = [...new Set([...source.matchAll(/app\.event\('(\w+)'/g)].map((m) => m[1]))].sort();

  it('knows every Web API method and event the code uses', () => {
    expect(methods.filter((method) => !(method in SCOPES))).toEqual([]);
    expect(listeners.filter((name) => !(name in EVENTS))).toEqual([]);
    expect(methods).toEqual(Object.keys(SCOPES).sort());
  });

  it('asks for exactly the scopes and events used, plus the slash command', () => {
    const needed = [
      ...methods.flatMap((method) => SCOPES[method]),
      ...listeners.flatMap((name) => EVENTS[name].scope),
      source.includes("app.command('/tsid'") ? 'commands' : undefined,
    ].filter((scope): scope is string => scope !== undefined);
    expect(list('bot')).toEqual([...new Set(needed)].sort());
    expect(list('bot_events')).toEqual(listeners.flatMap((name) => EVENTS[name].event).sort());
  });

  it('points events, interactivity and /tsid at the one Bolt route', () => {
    const urls = [...manifest.matchAll(/(?:request_url|url): (\S+)/g)].map((m) => m[1]);
    expect(urls).toEqual([
      'https://bot.example.com/slack/events',
      'https://bot.example.com/slack/events',
      'https://bot.example.com/slack/events',
    ]);
    expect(manifest).toMatch(/command: \/tsid/);
    expect(manifest).toMatch(/interactivity:\n\s+is_enabled: true/);
  });
});
