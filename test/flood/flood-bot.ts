/**
 * One bot of the flood test, in a process of its own (its peak RSS is read from
 * /proc/<pid>/status): the composed bot on the flood's Redis and fake Slack. argv[2] is
 * `{ redisUrl, prefix, slackApiUrl }` as JSON; prints `{"port":…}` once listening, stops on SIGTERM.
 */
import { loadConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/app/logger.js';
import { startBot } from '../../src/app/main.js';
import { SIGNING_SECRET } from '../adapters/slack/signed-request.js';

const spec = JSON.parse(process.argv[2]) as { redisUrl: string; prefix: string; slackApiUrl: string };
const bot = await startBot(
  loadConfig({
    PORT: '0',
    REDIS_URL: spec.redisUrl,
    REDIS_PREFIX: spec.prefix,
    SLACK_BOT_TOKEN: 'xoxb-flood',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: spec.slackApiUrl,
    LOG_LEVEL: 'warn',
    // The budget under test, when the flood is run with one (to size it).
    ...(process.env.MAX_TURNS_IN_FLIGHT ? { MAX_TURNS_IN_FLIGHT: process.env.MAX_TURNS_IN_FLIGHT } : {}),
    // The Redis deadline under test (to choose it).
    ...(process.env.REDIS_COMMAND_TIMEOUT ? { REDIS_COMMAND_TIMEOUT: process.env.REDIS_COMMAND_TIMEOUT } : {}),
  }),
  { host: '127.0.0.1', logger: createLogger('warn', process.stderr) },
);
process.once('SIGTERM', () => void bot.stop().finally(() => process.exit(0)));
process.stdout.write(`${JSON.stringify({ port: (bot.server.address() as { port: number }).port })}\n`);
