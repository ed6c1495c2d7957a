import type { z } from 'zod';
import { crossProblems } from './env-rules.js';
import { ENV_SCHEMA, envDocs, type EnvName, type ParsedEnv } from './env-schema.js';
import { isLoopbackHost } from './env-types.js';
import { AppError } from '../errors.js';
import type { Locale } from '../contract/messages.js';

/** Everything the process reads from its environment, validated once at start. */
export interface Config {
  port: number;
  /** HOST; default 127.0.0.1 while the web chat or the Emulator endpoint (both unauthenticated) is on, else 0.0.0.0. */
  host: string;
  publicBaseUrl: string;
  redisUrl?: string;
  /** REDIS_CLUSTER_NODES: Cluster seed URLs (`host:port` becomes `redis://host:port`); auth and TLS as in a URL. */
  redisClusterNodes?: string[];
  /** REDIS_SENTINELS (`host:port,...`) with REDIS_SENTINEL_NAME, the master's name. */
  redisSentinels?: { host: string; port: number }[];
  redisSentinelName?: string;
  /** REDIS_PREFIX (default `tsid`): the first part of every Redis key, so environments (and tests) can share a Redis. */
  redisPrefix: string;
  /** REDIS_COMMAND_TIMEOUT (default 2 s): how long one Redis operation may take before the turn fails `tsid_store_unavailable`. */
  redisCommandTimeoutMs: number;
  slack: {
    botToken?: string;
    signingSecret?: string;
    appToken?: string;
    apiUrl?: string;
    helpdeskChannel?: string;
    /** Workspaces or Grid orgs served besides the token's own (SLACK_ALLOWED_TEAMS). */
    allowedTeams: string[];
  };
  teams: {
    appId: string;
    appPassword?: string;
    appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
    tenantId?: string;
    helpdeskChannel?: string;
  };
  helpdeskAgents: string[];
  handoffTimeoutMs: number;
  oidc?: { issuer: string; clientId: string; clientSecret?: string };
  links: { cassaInCloud: string; tsDigitalPortal: string };
  inviteRemindersMs: number[];
  defaultLocale: Locale;
  dataRetentionMs: number;
  /** One of pino's levels (LOG_LEVELS). */
  logLevel: string;
  /** The local web chat at `GET /` (LOCAL_WEB_CHAT; default on only when neither Slack nor Teams is configured). */
  localWebChat: boolean;
  /**
   * `POST /api/messages` without authentication, for the Bot Framework Emulator (TEAMS_EMULATOR;
   * default on only when neither Slack nor Teams is configured). Replies go to loopback only.
   */
  teamsEmulator: boolean;
  /** SIGTERM/SIGINT: how long turns in flight and the outbox may take to drain (SHUTDOWN_TIMEOUT). */
  shutdownTimeoutMs: number;
  /** Campaign starts per minute each platform allows, across campaigns and instances. */
  campaignPerMinute: { slack: number; teams: number };
  /** How long an instance holds a customer it is starting before another may (it died). */
  campaignLeaseMs: number;
  /** Starts one instance runs at once (the pace, not this, sets the speed; more hides platform latency). */
  campaignWorkers: number;
  /** Turns one process holds (received or acknowledged, not yet done) before it refuses more (MAX_TURNS_IN_FLIGHT). */
  maxTurnsInFlight: number;
  /** A turn running longer than this means the process is behind: it refuses more until it catches up (MAX_TURN_AGE). */
  maxTurnAgeMs: number;
  /** Turns the Redis overflow inbox holds before requests past the budget are refused again (OVERFLOW_INBOX_MAX). */
  overflowInboxMax: number;
  /** How long a process holds an inbox conversation before another may take it over (OVERFLOW_INBOX_LEASE). */
  overflowInboxLeaseMs: number;
}

type Env = Record<string, string | undefined>;

/**
 * Reads and validates the environment against ENV_SCHEMA (src/config/env-schema.ts); lists
 * every problem at once (`tsid_config_invalid`).
 */
export function loadConfig(env: Env = process.env): Config {
  const raw = (name: EnvName) => env[name]?.trim() || undefined;
  const parsed = ENV_SCHEMA.safeParse(env);
  const problems = [...(parsed.success ? [] : fieldProblems(parsed.error, raw)), ...crossProblems(raw)];
  if (!parsed.success || problems.length > 0) {
    throw new AppError('tsid_config_invalid', `invalid configuration:\n- ${problems.join('\n- ')}`);
  }
  return toConfig(parsed.data);
}

/** True for an `http://` issuer (the schema allows it on loopback hosts only): a local identity provider. */
export function isLocalIssuer(issuer: string): boolean {
  const url = new URL(issuer);
  return url.protocol === 'http:' && isLoopbackHost(url.hostname);
}

function fieldProblems(error: z.ZodError, raw: (name: EnvName) => string | undefined): string[] {
  const names = [...new Set(error.issues.map((issue) => issue.path[0] as EnvName))];
  return names.map((name) => {
    const doc = envDocs.get(ENV_SCHEMA.shape[name])!;
    const value = raw(name) ?? doc.default ?? '';
    // A rule the value broke (more than "invalid") is said too: "0s" is a duration, but not above 0.
    const rule = error.issues.find(
      (issue) => issue.path[0] === name && issue.code === 'custom' && issue.message !== 'invalid',
    )?.message;
    return `${name} must be ${doc.hint}${doc.secret ? '' : `: ${value}`}${rule && !doc.secret ? ` (${rule})` : ''}`;
  });
}

function toConfig(env: ParsedEnv): Config {
  const localMode = !env.SLACK_BOT_TOKEN && !env.MicrosoftAppId;
  const localWebChat = env.LOCAL_WEB_CHAT ?? localMode;
  const teamsEmulator = env.TEAMS_EMULATOR ?? localMode;
  return {
    port: env.PORT,
    host: env.HOST ?? (localWebChat || teamsEmulator ? '127.0.0.1' : '0.0.0.0'),
    publicBaseUrl: env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`,
    redisUrl: env.REDIS_URL,
    redisClusterNodes: env.REDIS_CLUSTER_NODES,
    redisSentinels: env.REDIS_SENTINELS,
    redisSentinelName: env.REDIS_SENTINEL_NAME,
    redisPrefix: env.REDIS_PREFIX,
    redisCommandTimeoutMs: env.REDIS_COMMAND_TIMEOUT,
    slack: {
      botToken: env.SLACK_BOT_TOKEN,
      signingSecret: env.SLACK_SIGNING_SECRET,
      appToken: env.SLACK_APP_TOKEN,
      apiUrl: env.SLACK_API_URL,
      helpdeskChannel: env.SLACK_HELPDESK_CHANNEL,
      allowedTeams: env.SLACK_ALLOWED_TEAMS ?? [],
    },
    teams: {
      appId: env.MicrosoftAppId,
      appPassword: env.MicrosoftAppPassword,
      appType: env.MicrosoftAppType,
      tenantId: env.MicrosoftAppTenantId,
      helpdeskChannel: env.TEAMS_HELPDESK_CHANNEL,
    },
    helpdeskAgents: env.HELPDESK_AGENTS,
    handoffTimeoutMs: env.HANDOFF_TIMEOUT,
    oidc: env.OIDC_ISSUER
      ? { issuer: env.OIDC_ISSUER, clientId: env.OIDC_CLIENT_ID ?? '', clientSecret: env.OIDC_CLIENT_SECRET }
      : undefined,
    links: { cassaInCloud: env.CASSA_IN_CLOUD_URL, tsDigitalPortal: env.TS_DIGITAL_PORTAL_URL },
    inviteRemindersMs: env.INVITE_REMINDERS,
    defaultLocale: env.DEFAULT_LOCALE,
    dataRetentionMs: env.DATA_RETENTION,
    logLevel: env.LOG_LEVEL,
    localWebChat,
    teamsEmulator,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT,
    campaignPerMinute: { slack: env.CAMPAIGN_SLACK_PER_MINUTE, teams: env.CAMPAIGN_TEAMS_PER_MINUTE },
    campaignLeaseMs: env.CAMPAIGN_LEASE,
    campaignWorkers: Math.round(env.CAMPAIGN_WORKERS),
    maxTurnsInFlight: Math.round(env.MAX_TURNS_IN_FLIGHT),
    maxTurnAgeMs: env.MAX_TURN_AGE,
    overflowInboxMax: Math.round(env.OVERFLOW_INBOX_MAX),
    overflowInboxLeaseMs: env.OVERFLOW_INBOX_LEASE,
  };
}
