import { hashLoginCode, type InboundEvent } from '../../src/engine/index.js';

/** The one-time code of a pretended sign-in (`/login`): the local chat has no browser page to show one. */
export const LOCAL_LOGIN_CODE = '123456';

/**
 * Local commands that play the parts a local chat has no one for: the helpdesk agent and
 * the identity provider. `agent.name` remembers the last agent named, so `/agent close`
 * needs no name. Anything else is not a command (undefined).
 */
export function localCommand(line: string, agent: { name: string }): InboundEvent | undefined {
  const [command, verb, ...rest] = line.trim().split(/\s+/);
  if (command === '/login' && verb) {
    // The browser page a real sign-in ends on would show this code: type it next.
    const code = hashLoginCode(LOCAL_LOGIN_CODE, 'local');
    return { type: 'auth.completed', issuer: 'local', subject: verb, email: verb, emailVerified: true, code };
  }
  if (command !== '/agent') return undefined;
  if (verb === 'take') agent.name = rest.join(' ') || agent.name;
  if (verb === 'take') return { type: 'agent.accepted', agentName: agent.name };
  if (verb === 'say') {
    const text = rest.join(' ');
    const colon = text.indexOf(':');
    if (colon > 0) agent.name = text.slice(0, colon).trim();
    return { type: 'agent.text', agentName: agent.name, text: colon > 0 ? text.slice(colon + 1).trim() : text };
  }
  if (verb === 'back') return { type: 'agent.handback', agentName: agent.name, step: rest[0] ?? '' };
  if (verb === 'close') return { type: 'agent.closed', agentName: agent.name };
  return undefined;
}
