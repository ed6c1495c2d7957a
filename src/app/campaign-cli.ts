/**
 * `npm run campaign -- …`: start, follow and steer campaigns. A composition root like
 * main.ts: it talks to the same Redis as the running bots, which deliver the campaign.
 */
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
import {
  closeRedisConnection,
  createRedisConnection,
  waitUntilReady,
  type RedisConnection,
} from '../store/redis-connection.js';
import { RedisConversationStore } from '../store/redis-conversation-store.js';
import { parseCampaignArgs, type CampaignRequest } from './campaign-args.js';
import { readCsv, redisAddress } from './campaign-cli-io.js';
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

/** Help and usage mistakes: answered before the configuration is read or anything connects. */
function answerBeforeConfig(request: CampaignRequest, out: (text: string) => void): number | undefined {
  if (request.kind === 'help') return print(out, { ok: true, text: CLI_USAGE });
  if (request.kind !== 'mistake') return undefined;
  out(`${request.problem}\n\n${CLI_USAGE}`);
  return 2;
}

/** How long the CLI waits for Redis before saying it cannot reach it. */
const REDIS_WAIT_MS = 3000;

/** Runs one CLI command; resolves with the exit code (0 done, 1 refused or failed, 2 usage). */
export async function runCampaignCli(args: string[], config: Config, options: CliOptions = {}): Promise<number> {
  const out = options.out ?? ((text: string) => console.log(text));
  const request = parseCampaignArgs(args);
  const early = answerBeforeConfig(request, out);
  if (early !== undefined) return early;
  if (request.kind === 'help' || request.kind === 'mistake') return 2; // answered above; narrows the type
  const csv = request.kind === 'start' ? await readCsv(request.file) : undefined;
  if (csv && 'problem' in csv) return print(out, { ok: false, text: csv.problem });
  if (!config.redisUrl) {
    out('Campaigns live in Redis: set REDIS_URL (the one the bots use).');
    return 2;
  }
  const connection = createRedisConnection(config.redisUrl, { name: 'tsid-campaign-cli' });
  try {
    try {
      await waitUntilReady(connection, REDIS_WAIT_MS);
    } catch {
      return print(out, {
        ok: false,
        text: `Redis at ${redisAddress(config.redisUrl)} did not answer within ${REDIS_WAIT_MS / 1000} s: is it running, and is REDIS_URL the one the bots use?`,
      });
    }
    const conversations = new RedisConversationStore(connection, {
      prefix: config.redisPrefix,
      retentionMs: config.dataRetentionMs,
    });
    if (request.kind === 'dead-letters') return print(out, await deadLetterCommand(conversations, request.args));
    const service = campaignService(connection, conversations, config);
    return print(out, await command(service, request, csv?.text, options.by ?? `cli:${userInfo().username}`));
  } finally {
    closeRedisConnection(connection);
  }
}

function campaignService(
  connection: RedisConnection,
  conversations: RedisConversationStore,
  config: Config,
): CampaignService {
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
  return new CampaignService({
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
  request: Exclude<CampaignRequest, { kind: 'help' | 'mistake' | 'dead-letters' }>,
  csv: string | undefined,
  by: string,
): Promise<StartAnswer> {
  switch (request.kind) {
    case 'start':
      return service.start({
        name: request.name,
        csv: csv ?? '',
        ratePerMinute: request.ratePerMinute,
        dryRun: request.dryRun,
        by,
      });
    case 'status':
      return service.status(request.name, request.csv ? 'csv' : 'text');
    case 'control':
      return service.control(request.name, request.action);
    case 'list':
      return service.list();
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const early = answerBeforeConfig(parseCampaignArgs(args), (text) => console.log(text));
  if (early !== undefined) return void (process.exitCode = early);
  try {
    process.exitCode = await runCampaignCli(args, loadConfig());
  } catch (error) {
    const appError = asAppError(error);
    // Configuration problems are already sentences naming the variable and the rule.
    console.error(appError.code === 'tsid_config_invalid' ? appError.message : `campaign: ${appError.message}`);
    process.exitCode = 2;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) void main();
