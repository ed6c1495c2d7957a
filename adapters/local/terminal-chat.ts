import { createInterface } from 'node:readline';
import type { Choice, ConversationKey, Deliver, InboundEvent, TurnHandler } from '../../src/engine/index.js';
import { renderText } from './render-text.js';

export interface TerminalChatOptions {
  turns: TurnHandler;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

/** The terminal's own conversation. */
export const TERMINAL_KEY: ConversationKey = { channel: 'local', tenant: 'terminal', user: 'you' };

export const TERMINAL_HELP = [
  'Type your answers; a number picks that choice. Local commands:',
  '  /agent take NAME | /agent say NAME: TEXT | /agent back STEP | /agent close   (play the helpdesk agent)',
  '  /login EMAIL   (pretend the TS ID sign-in completed)      /quit',
].join('\n');

/** Local commands that play the parts a terminal has no one for: the agent, the identity provider. */
export function localCommand(line: string, agent: { name: string }): InboundEvent | undefined {
  const [command, verb, ...rest] = line.trim().split(/\s+/);
  if (command === '/login' && verb) return { type: 'auth.completed', issuer: 'local', subject: verb, email: verb, emailVerified: true };
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

/** The deliver function for local conversations: prints each message. */
export function terminalDeliver(output: NodeJS.WritableStream, onChoices: (choices: Choice[]) => void): Deliver {
  return async ({ message }) => {
    output.write(`${renderText(message)}\n`);
    if (message.kind === 'prompt' && message.choices?.length) onChoices(message.choices);
  };
}

/** Reads lines until end of input, one turn per line. Resolves when the input ends. */
export async function runTerminalChat({ turns, input, output }: TerminalChatOptions, latestChoices: () => Choice[]): Promise<void> {
  const agent = { name: 'Agent' };
  const lines = createInterface({ input, terminal: false });
  for await (const raw of lines) {
    const line = raw.trim();
    if (!line) continue;
    if (line === '/quit') break;
    const picked = /^\d+$/.test(line) ? latestChoices()[Number(line) - 1] : undefined;
    const event: InboundEvent = localCommand(line, agent) ??
      (picked ? { type: 'user.choice', choiceId: picked.id } : { type: 'user.text', text: line });
    try {
      await turns.handle({ key: TERMINAL_KEY, event });
    } catch (error) {
      output.write(`(error: ${error instanceof Error ? error.message : String(error)})\n`);
    }
  }
  lines.close();
}
