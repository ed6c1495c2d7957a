/**
 * Every environment variable the process reads: its type, default and the hint shown when it
 * is wrong. README's configuration table and `.env.example` list the same names (a test checks).
 */
import { z } from 'zod';
import {
  duration,
  durationList,
  hostPortList,
  httpUrl,
  issuerUrl,
  listenHost,
  list,
  LOG_LEVELS,
  onOff,
  port,
  positiveNumber,
  redisNodeList,
  redisUrl,
  slackTeamList,
  text,
} from './env-types.js';

export interface EnvDoc {
  /** What a right value looks like, completing "NAME must be …". */
  hint: string;
  /** Used when the variable is unset or blank; parsed like a value that was set. */
  default?: string;
  /** Never echoed in an error message. */
  secret?: boolean;
}

/** Where each variable's hint and default live, keyed by its schema. */
export const envDocs = z.registry<EnvDoc>();

const blankIsUnset = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);

function env<T extends z.ZodType>(type: T, doc: EnvDoc & { default: string }): z.ZodPipe<z.ZodTransform, T>;
function env<T extends z.ZodType>(type: T, doc: EnvDoc): z.ZodPipe<z.ZodTransform, z.ZodOptional<T>>;
function env(type: z.ZodType, doc: EnvDoc): z.ZodType {
  const schema = z.preprocess(
    (value) => blankIsUnset(value) ?? doc.default,
    doc.default === undefined ? type.optional() : type,
  );
  schema.register(envDocs, doc);
  return schema;
}

const secret = { hint: 'a non-empty string', secret: true };

export const ENV_SCHEMA = z.object({
  PORT: env(port, { hint: 'a port number from 0 to 65535', default: '3978' }),
  HOST: env(listenHost, { hint: 'an address to listen on, like 0.0.0.0 or 127.0.0.1' }),
  PUBLIC_BASE_URL: env(httpUrl, { hint: 'an http:// or https:// URL' }),
  REDIS_URL: env(redisUrl, { hint: 'a redis:// or rediss:// URL', secret: true }),
  REDIS_CLUSTER_NODES: env(redisNodeList, {
    hint: 'comma-separated host:port or redis[s]://[user:pass@]host:port seeds',
    secret: true,
  }),
  REDIS_SENTINELS: env(hostPortList, { hint: 'host:port entries, comma-separated' }),
  REDIS_SENTINEL_NAME: env(text, { hint: 'the name of the master the sentinels watch' }),
  REDIS_PREFIX: env(text, { hint: 'a key prefix like tsid', default: 'tsid' }),
  REDIS_COMMAND_TIMEOUT: env(duration, { hint: 'a duration like 2s', default: '2s' }),

  SLACK_BOT_TOKEN: env(text, secret),
  SLACK_SIGNING_SECRET: env(text, secret),
  SLACK_APP_TOKEN: env(text, secret),
  SLACK_API_URL: env(httpUrl, { hint: 'an http:// or https:// URL' }),
  SLACK_HELPDESK_CHANNEL: env(text, { hint: 'a Slack channel id' }),
  SLACK_ALLOWED_TEAMS: env(slackTeamList, {
    hint: 'Slack workspace ids (T…) or Enterprise Grid org ids (E…), comma-separated',
  }),

  MicrosoftAppId: env(text, { hint: 'the Azure Bot app id', default: '' }),
  MicrosoftAppPassword: env(text, secret),
  MicrosoftAppType: env(z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']), {
    hint: 'MultiTenant, SingleTenant or UserAssignedMSI',
    default: 'MultiTenant',
  }),
  MicrosoftAppTenantId: env(text, { hint: 'the Entra ID tenant id' }),
  TEAMS_HELPDESK_CHANNEL: env(text, { hint: 'a Teams channel id' }),
  TEAMS_EMULATOR: env(onOff, { hint: 'on or off' }),

  HELPDESK_AGENTS: env(list, { hint: 'comma-separated user ids', default: '' }),
  HANDOFF_TIMEOUT: env(duration, { hint: 'a duration like 15m', default: '15m' }),

  OIDC_ISSUER: env(issuerUrl, {
    hint: 'an https:// URL (http:// only on a loopback host: 127.0.0.0/8, ::1, localhost)',
  }),
  OIDC_CLIENT_ID: env(text, { hint: 'the client id registered at the issuer' }),
  OIDC_CLIENT_SECRET: env(text, secret),

  CASSA_IN_CLOUD_URL: env(httpUrl, { hint: 'an http:// or https:// URL', default: 'https://app.cassanova.com' }),
  TS_DIGITAL_PORTAL_URL: env(httpUrl, {
    hint: 'an http:// or https:// URL',
    default: 'https://app.teamsystemdigital.com/portale',
  }),
  INVITE_REMINDERS: env(durationList, { hint: 'a comma-separated list of durations like 30m,24h', default: '30m,24h' }),
  DEFAULT_LOCALE: env(z.enum(['it', 'en']), { hint: 'it or en', default: 'it' }),
  DATA_RETENTION: env(duration, { hint: 'a duration like 30d', default: '30d' }),
  LOG_LEVEL: env(z.enum(LOG_LEVELS), { hint: `one of ${LOG_LEVELS.join(', ')}`, default: 'info' }),
  LOCAL_WEB_CHAT: env(onOff, { hint: 'on or off' }),
  SHUTDOWN_TIMEOUT: env(duration, { hint: 'a duration like 10s', default: '10s' }),

  CAMPAIGN_SLACK_PER_MINUTE: env(positiveNumber, {
    hint: 'a positive number of guide starts per minute',
    default: '50',
  }),
  CAMPAIGN_TEAMS_PER_MINUTE: env(positiveNumber, {
    hint: 'a positive number of guide starts per minute',
    default: '600',
  }),
  CAMPAIGN_LEASE: env(duration, { hint: 'a duration like 30s', default: '30s' }),
  CAMPAIGN_WORKERS: env(positiveNumber, {
    hint: 'a positive number of starts one instance runs at once',
    default: '8',
  }),
  MAX_TURNS_IN_FLIGHT: env(positiveNumber, {
    hint: 'a positive number of turns one instance holds at once',
    default: '200',
  }),
  MAX_TURN_AGE: env(duration, { hint: 'a duration like 20s', default: '20s' }),
  OVERFLOW_INBOX_MAX: env(positiveNumber, {
    hint: 'a positive number of turns the Redis overflow inbox holds',
    default: '50000',
  }),
  OVERFLOW_INBOX_LEASE: env(duration, { hint: 'a duration like 30s', default: '30s' }),
});

export type EnvName = keyof typeof ENV_SCHEMA.shape;
export type ParsedEnv = z.output<typeof ENV_SCHEMA>;

/** The names of every variable, in schema order. */
export const ENV_NAMES = Object.keys(ENV_SCHEMA.shape) as EnvName[];
