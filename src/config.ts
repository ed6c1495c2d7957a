import { parseDuration } from './scheduler/clock.js';
import { AppError } from './errors.js';
import type { Locale } from './engine/messages.js';

/** Everything the process reads from its environment, validated once at start. */
export interface Config {
  port: number;
  publicBaseUrl: string;
  redisUrl?: string;
  slack: {
    botToken?: string;
    signingSecret?: string;
    appToken?: string;
    apiUrl?: string;
    helpdeskChannel?: string;
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
  /** REDIS_PREFIX (default `tsid`): the first part of every Redis key, so environments (and tests) can share a Redis. */
  redisPrefix: string;
}

type Env = Record<string, string | undefined>;

/** Reads and validates the environment; lists every problem at once (`tsid_config_invalid`). */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const text = (name: string) => (env[name]?.trim() ? env[name]!.trim() : undefined);
  const url = (name: string, fallback?: string) => {
    const value = text(name) ?? fallback;
    if (value === undefined) return undefined;
    try {
      return new URL(value).toString().replace(/\/$/, '');
    } catch {
      problems.push(`${name} is not a URL: ${value}`);
      return undefined;
    }
  };
  const duration = (name: string, fallback: string) => {
    const value = text(name) ?? fallback;
    const ms = parseDuration(value);
    if (ms === undefined || ms <= 0) problems.push(`${name} is not a duration like 30m or 24h: ${value}`);
    return ms ?? parseDuration(fallback)!;
  };

  // Slack: conversations.open is Tier 3 (50+ per minute); Teams: well under its 50 requests/s per tenant.
  const perMinute = (name: string, fallback: number) => {
    const value = Number(text(name) ?? fallback);
    if (!(value > 0)) problems.push(`${name} must be a positive number of starts per minute: ${text(name)}`);
    return value > 0 ? value : fallback;
  };

  const portText = text('PORT') ?? '3978';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`PORT is not a port number: ${portText}`);

  const reminderText = text('INVITE_REMINDERS') ?? '30m,24h';
  const inviteRemindersMs = reminderText.split(',').map((part) => parseDuration(part));
  if (inviteRemindersMs.some((ms) => ms === undefined || ms <= 0)) {
    problems.push(`INVITE_REMINDERS is not a list of durations like 30m,24h: ${reminderText}`);
  }

  const defaultLocale = text('DEFAULT_LOCALE') ?? 'it';
  if (defaultLocale !== 'it' && defaultLocale !== 'en') problems.push(`DEFAULT_LOCALE must be it or en: ${defaultLocale}`);

  const appType = text('MicrosoftAppType') ?? 'MultiTenant';
  if (!['MultiTenant', 'SingleTenant', 'UserAssignedMSI'].includes(appType)) {
    problems.push(`MicrosoftAppType must be MultiTenant, SingleTenant or UserAssignedMSI: ${appType}`);
  }
  const appId = text('MicrosoftAppId') ?? '';
  if (appId && appType !== 'UserAssignedMSI' && !text('MicrosoftAppPassword')) {
    problems.push('MicrosoftAppPassword is required when MicrosoftAppId is set');
  }
  if (appType === 'SingleTenant' && appId && !text('MicrosoftAppTenantId')) {
    problems.push('MicrosoftAppTenantId is required for a SingleTenant app');
  }

  const slackToken = text('SLACK_BOT_TOKEN');
  if (slackToken && !text('SLACK_SIGNING_SECRET') && !text('SLACK_APP_TOKEN')) {
    problems.push('SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode) is required with SLACK_BOT_TOKEN');
  }

  const localMode = !slackToken && !appId;
  const webChatText = text('LOCAL_WEB_CHAT') ?? (localMode ? 'on' : 'off');
  if (webChatText !== 'on' && webChatText !== 'off') problems.push(`LOCAL_WEB_CHAT must be on or off: ${webChatText}`);
  const emulatorText = text('TEAMS_EMULATOR') ?? (localMode ? 'on' : 'off');
  if (emulatorText !== 'on' && emulatorText !== 'off') problems.push(`TEAMS_EMULATOR must be on or off: ${emulatorText}`);
  if (emulatorText === 'on' && appId) problems.push('TEAMS_EMULATOR=on turns authentication off: unset it, or unset MicrosoftAppId');

  const issuer = url('OIDC_ISSUER');
  if (issuer && !text('OIDC_CLIENT_ID')) problems.push('OIDC_CLIENT_ID is required with OIDC_ISSUER');
  const redisUrl = text('REDIS_URL');
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) problems.push(`REDIS_URL must start with redis:// or rediss://`);

  const config: Config = {
    port,
    publicBaseUrl: url('PUBLIC_BASE_URL', `http://localhost:${portText}`) ?? `http://localhost:${portText}`,
    redisUrl,
    slack: {
      botToken: slackToken,
      signingSecret: text('SLACK_SIGNING_SECRET'),
      appToken: text('SLACK_APP_TOKEN'),
      apiUrl: url('SLACK_API_URL'),
      helpdeskChannel: text('SLACK_HELPDESK_CHANNEL'),
    },
    teams: {
      appId,
      appPassword: text('MicrosoftAppPassword'),
      appType: appType as Config['teams']['appType'],
      tenantId: text('MicrosoftAppTenantId'),
      helpdeskChannel: text('TEAMS_HELPDESK_CHANNEL'),
    },
    helpdeskAgents: (text('HELPDESK_AGENTS') ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    handoffTimeoutMs: duration('HANDOFF_TIMEOUT', '15m'),
    oidc: issuer ? { issuer, clientId: text('OIDC_CLIENT_ID') ?? '', clientSecret: text('OIDC_CLIENT_SECRET') } : undefined,
    links: {
      cassaInCloud: url('CASSA_IN_CLOUD_URL', 'https://app.cassanova.com')!,
      tsDigitalPortal: url('TS_DIGITAL_PORTAL_URL', 'https://app.teamsystemdigital.com/portale')!,
    },
    inviteRemindersMs: inviteRemindersMs.filter((ms): ms is number => ms !== undefined),
    defaultLocale: defaultLocale === 'en' ? 'en' : 'it',
    dataRetentionMs: duration('DATA_RETENTION', '30d'),
    logLevel: text('LOG_LEVEL') ?? 'info',
    localWebChat: webChatText === 'on',
    teamsEmulator: emulatorText === 'on',
    shutdownTimeoutMs: duration('SHUTDOWN_TIMEOUT', '10s'),
    campaignPerMinute: { slack: perMinute('CAMPAIGN_SLACK_PER_MINUTE', 50), teams: perMinute('CAMPAIGN_TEAMS_PER_MINUTE', 600) },
    campaignLeaseMs: duration('CAMPAIGN_LEASE', '30s'),
    campaignWorkers: Math.round(perMinute('CAMPAIGN_WORKERS', 8)),
    redisPrefix: text('REDIS_PREFIX') ?? 'tsid',
  };
  if (problems.length > 0) {
    throw new AppError('tsid_config_invalid', `invalid configuration:\n- ${problems.join('\n- ')}`);
  }
  return config;
}
