/**
 * One bot of the wire benchmark, in a process of its own so its CPU can be read from
 * /proc/<pid>/stat: the composed bot (`startBot`) or one of the framework echo floors.
 * argv[2] is a BotSpec as JSON; prints `{"port":…}` once listening, stops on SIGTERM.
 */
import type { Server } from 'node:http';
import { loadConfig } from '../../../src/config/load-config.js';
import { createLogger } from '../../../src/app/logger.js';
import { startBot } from '../../../src/app/main.js';
import { closeServer } from '../../../src/app/server.js';
import { SIGNING_SECRET } from '../../adapters/slack/signed-request.js';
import { OfflineCredentials } from '../../adapters/teams/offline-credentials.js';
import { BENCH_APP_ID, BENCH_SLACK_TOKEN, type BotSpec } from './bot-spec.js';
import { startBoltEcho } from './floor-bolt.js';
import { startTeamsEcho } from './floor-teams.js';

const spec = JSON.parse(process.argv[2]) as BotSpec;

async function startOurs(): Promise<{ server: Server; stop: () => Promise<unknown> }> {
  const config = loadConfig({
    PORT: '0',
    REDIS_URL: spec.redisUrl,
    SLACK_BOT_TOKEN: BENCH_SLACK_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: spec.slackApiUrl,
    MicrosoftAppId: BENCH_APP_ID,
    MicrosoftAppPassword: 'not-used',
    LOG_LEVEL: 'warn',
  });
  // Logs go to stderr: stdout carries this process's one line for the benchmark.
  return startBot(config, {
    host: '127.0.0.1',
    logger: createLogger('warn', process.stderr),
    teamsAuth: { openIdMetadataUrl: spec.openIdMetadataUrl, credentialsFactory: new OfflineCredentials(BENCH_APP_ID) },
    slackMinPostIntervalMs: 0,
  });
}

const running =
  spec.kind === 'ours'
    ? await startOurs()
    : await (spec.kind === 'bolt-echo' ? startBoltEcho(spec) : startTeamsEcho(spec)).then((server) => ({
        server,
        stop: () => closeServer(server),
      }));
process.once('SIGTERM', () => {
  void running.stop().finally(() => process.exit(0));
});
process.stdout.write(`${JSON.stringify({ port: (running.server.address() as { port: number }).port })}\n`);
