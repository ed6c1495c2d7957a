/**
 * `npm run chat`: the guide in the terminal, through the real engine on the memory store.
 * `--fast` shortens every wait (reminders, green-chain checks, hand-off timeout) to seconds.
 * `--en` starts in English. `--login` plays the TS ID login-link step (answer it with `/login EMAIL`).
 */
import { runTerminalChat, TERMINAL_HELP, terminalDeliver } from '../../adapters/local/terminal-chat.js';
import { createTsidFlow, defaultFlowSettings } from '../../flows/tsid-digital-invoice/index.js';
import { loadConfig } from '../config/load-config.js';
import { ConversationEngine, type Choice } from '../engine/index.js';
import { systemClock } from '../scheduler/clock.js';
import { ReminderRunner } from '../engine/reminder-runner.js';
import { MemoryReminderScheduler } from '../scheduler/reminder-scheduler.js';
import { MemoryConversationStore } from '../store/conversation-store.js';

const fast = process.argv.includes('--fast');
const login = process.argv.includes('--login');
const config = loadConfig();
let choices: Choice[] = [];
const scheduler = new MemoryReminderScheduler();
const engine = new ConversationEngine({
  flow: createTsidFlow({
    ...defaultFlowSettings,
    links: config.links,
    inviteRemindersMs: fast ? [10_000, 20_000] : config.inviteRemindersMs,
    greenCheckMs: fast ? 10_000 : defaultFlowSettings.greenCheckMs,
    handoffTimeoutMs: fast ? 30_000 : config.handoffTimeoutMs,
    loginEnabled: login,
  }),
  // No identity provider in a terminal: the link says how to play the sign-in instead.
  prepareMessage: async (message) =>
    message.kind === 'prompt' && message.loginLink
      ? {
          ...message,
          links: [
            ...(message.links ?? []),
            { label: message.loginLabel ?? 'TS ID', url: '(local: type /login your@e-mail)' },
          ],
        }
      : message,
  store: new MemoryConversationStore(),
  scheduler,
  clock: systemClock,
  deliver: terminalDeliver(process.stdout, (latest) => (choices = latest)),
});
const reminders = new ReminderRunner({ engine, scheduler, clock: systemClock });
reminders.start(fast ? 250 : 1000);
process.stdout.write(`${TERMINAL_HELP}\n`);
if (fast) process.stdout.write('(fast mode: reminders after 10 s and 20 s, green-chain check after 10 s)\n');
await engine.handle({
  key: { channel: 'local', tenant: 'terminal', user: 'you' },
  event: { type: 'session.start' },
  locale: process.argv.includes('--en') ? 'en' : config.defaultLocale,
});
await runTerminalChat({ turns: engine, input: process.stdin, output: process.stdout }, () => choices);
await reminders.stop();
