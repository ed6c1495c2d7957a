/**
 * `npm run campaign -- …`: start, follow and steer campaigns. A composition root like
 * main.ts: it talks to the same Redis as the running bots, which deliver the campaign.
 */
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createSlackDirectory } from '../../adapters/slack/index.js';
import { createTsidFlow } from '../../flows/tsid-digital-invoice/index.js';
import { COMPANY_STEPS, STEP_IDS } from '../../flows/tsid-digital-invoice/steps.js';
import { CampaignService, teamsDirectory, type StartAnswer } from '../campaign/index.js';
import { loadConfig, type Config } from '../config/load-config.js';
import { ConversationEngine } from '../engine/index.js';
import { AppError, asAppError } from '../errors.js';
import { systemClock } from '../scheduler/clock.js';
import { RedisReminderScheduler } from '../scheduler/redis-reminder-scheduler.js';
import { RedisCampaignStore } from '../campaign/redis-campaign-store.js';
import { closeRedisConnection, createRedisConnection, waitUntilReady } from '../store/redis-connection.js';
import { RedisConversationStore } from '../store/redis-conversation-store.js';
import { deadLetterCommand } from './dead-letter-cli.js';

export const CLI_USAGE = `usage:
  npm run campaign -- start --name NAME --file customers.csv [--rate N/min] [--dry-run]
  npm run campaign -- status NAME [--csv]
  npm run campaign -- pause|resume|stop NAME
  npm run campaign -- list
  npm run campaign -- dead-letters list [--limit N]
  npm run campaign -- dead-letters replay ID
CSV: platform,user,locale,step (slack: user id or e-mail; teams: AAD object id or tenant/object id)`;

export interface CliOptions {
  out?: (text: string) => void;
  /** Who runs it, shown in the campaign's status (default the OS user). */
  by?: string;
}

/** Runs one CLI command; resolves with the exit code (0 done, 1 refused, 2 usage). */
export async function runCampaignCli(args: string[], config: Config, options: CliOptions = {}): Promise<number> {
  const out = options.out ?? ((text: string) => console.log(text));
  const [verb, ...rest] = args;
  if (!config.redisUrl) {
    out('Campaigns live in Redis: set REDIS_URL (the one the bots use).');
    return 2;
  }
  const connection = createRedisConnection(config.redisUrl, { name: 'tsid-campaign-cli' });
  try {
    await waitUntilReady(connection);
    const conversations = new RedisConversationStore(connection, {
      prefix: config.redisPrefix,
      retentionMs: config.dataRetentionMs,
    });
    if (verb === 'dead-letters') return print(out, await deadLetterCommand(conversations, rest));
    const flow = createTsidFlow({
      links: config.links,
      inviteRemindersMs: config.inviteRemindersMs,
      greenCheckMs: 600_000,
      handoffTimeoutMs: config.handoffTimeoutMs,
      loginEnabled: config.oidc !== undefined,
    });
    // Only read here (status of customers): a turn would be a bug, so delivering throws.
    const reader = new ConversationEngine({
      flow,
      store: conversations,
      scheduler: new RedisReminderScheduler(connection, { prefix: config.redisPrefix }),
      clock: systemClock,
      deliver: async () => {
        throw new AppError('tsid_internal', 'the campaign CLI sends nothing');
      },
    });
    const service = new CampaignService({
      store: new RedisCampaignStore(connection, { prefix: config.redisPrefix, retentionMs: config.dataRetentionMs }),
      directories: {
        teams: teamsDirectory(config.teams.tenantId),
        ...(config.slack.botToken ? { slack: createSlackDirectory(config.slack.botToken, config.slack.apiUrl) } : {}),
      },
      turns: reader,
      steps: STEP_IDS,
      startSteps: STEP_IDS.filter((step) => !COMPANY_STEPS.includes(step)),
      doneStep: 'invoice.done',
      platformPerMinute: config.campaignPerMinute,
    });
    return print(out, await command(service, verb, rest, options.by ?? `cli:${userInfo().username}`));
  } finally {
    closeRedisConnection(connection);
  }
}

/** Prints an answer, or the usage for none; the exit code (0 done, 1 refused, 2 usage). */
function print(out: (text: string) => void, answer: { ok: boolean; text: string } | undefined): number {
  if (!answer) {
    out(CLI_USAGE);
    return 2;
  }
  out(answer.text);
  return answer.ok ? 0 : 1;
}

async function command(
  service: CampaignService,
  verb: string | undefined,
  rest: string[],
  by: string,
): Promise<StartAnswer | undefined> {
  const flag = (name: string) => rest.includes(name);
  const value = (name: string) => (rest.indexOf(name) >= 0 ? rest[rest.indexOf(name) + 1] : undefined);
  const name = rest.find((word) => !word.startsWith('--'));
  switch (verb) {
    case 'start': {
      const [campaign, file, rate] = [value('--name'), value('--file'), value('--rate')];
      if (!campaign || !file) return undefined;
      const ratePerMinute = rate === undefined ? undefined : Number.parseFloat(rate.replace(/\/min$/, ''));
      return service.start({
        name: campaign,
        csv: await readFile(file, 'utf8'),
        ratePerMinute,
        dryRun: flag('--dry-run'),
        by,
      });
    }
    case 'status':
      return name ? service.status(name, flag('--csv') ? 'csv' : 'text') : undefined;
    case 'pause':
    case 'resume':
    case 'stop':
      return name ? service.control(name, verb) : undefined;
    case 'list':
      return service.list();
    default:
      return undefined;
  }
}

async function main(): Promise<void> {
  try {
    process.exitCode = await runCampaignCli(process.argv.slice(2), loadConfig());
  } catch (error) {
    const appError = asAppError(error);
    console.error(
      appError.code === 'tsid_config_invalid' ? appError.message : `campaign: ${appError.code}: ${appError.message}`,
    );
    process.exitCode = 2;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) void main();
