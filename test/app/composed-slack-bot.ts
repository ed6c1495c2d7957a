import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/app/logger.js';
import { startBot, type RunningBot, type StartOptions } from '../../src/app/main.js';
import { SIGNING_SECRET, SlackRequests } from '../adapters/slack/signed-request.js';

export interface ComposedSlackBot {
  bot: RunningBot;
  /** The bot's own address, e.g. `http://127.0.0.1:PORT`. */
  base: string;
  /** Signed Slack requests to that address. */
  slack: SlackRequests;
  /** Every log line the bot wrote, in order. */
  logLines: string[];
}

/**
 * The whole bot as `npm start` composes it, with Slack set up against `slackApiUrl` (a fake
 * Web API) and `env` on top; listening on a free loopback port, logging into `logLines`.
 */
export async function startComposedSlackBot(
  slackApiUrl: string,
  env: Record<string, string> = {},
  options: StartOptions = {},
): Promise<ComposedSlackBot> {
  const logLines: string[] = [];
  const sink = new Writable({ write: (chunk, _encoding, done) => void (logLines.push(String(chunk)), done()) });
  const config = loadConfig({
    PORT: '0',
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slackApiUrl,
    ...env,
  });
  const bot = await startBot(config, { logger: createLogger('info', sink), host: '127.0.0.1', ...options });
  const base = `http://127.0.0.1:${(bot.server.address() as { port: number }).port}`;
  return { bot, base, slack: new SlackRequests(base), logLines };
}
