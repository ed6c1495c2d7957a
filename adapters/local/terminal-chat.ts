import { createInterface } from 'node:readline';
import type { Choice, ConversationKey, Deliver, InboundEvent, TurnHandler } from '../../src/engine/index.js';
import { localCommand } from './local-command.js';
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
  '  /login EMAIL   (pretend the TS ID sign-in completed; then type the code 123456)      /quit',
].join('\n');

/** The deliver function for local conversations: prints each message. */
export function terminalDeliver(output: NodeJS.WritableStream, onChoices: (choices: Choice[]) => void): Deliver {
  return async ({ message }) => {
    output.write(`${renderText(message)}\n`);
    if (message.kind === 'prompt' && message.choices?.length) onChoices(message.choices);
  };
}

/** Reads lines until end of input, one turn per line. Resolves when the input ends. */
export async function runTerminalChat(
  { turns, input, output }: TerminalChatOptions,
  latestChoices: () => Choice[],
): Promise<void> {
  const agent = { name: 'Agent' };
  const lines = createInterface({ input, terminal: false });
  for await (const raw of lines) {
    const line = raw.trim();
    if (!line) continue;
    if (line === '/quit') break;
    const picked = /^\d+$/.test(line) ? latestChoices()[Number(line) - 1] : undefined;
    const event: InboundEvent =
      localCommand(line, agent) ??
      (picked ? { type: 'user.choice', choiceId: picked.id } : { type: 'user.text', text: line });
    try {
      await turns.handle({ key: TERMINAL_KEY, event });
    } catch (error) {
      output.write(`(error: ${error instanceof Error ? error.message : String(error)})\n`);
    }
  }
  lines.close();
}
