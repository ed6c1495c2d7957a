import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../src/config/load-config.js';

describe('loadConfig', () => {
  it('has working defaults for local use', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3978);
    expect(config.publicBaseUrl).toBe('http://localhost:3978');
    expect(config.inviteRemindersMs).toEqual([30 * 60_000, 24 * 3_600_000]);
    expect(config.handoffTimeoutMs).toBe(15 * 60_000);
    expect(config.dataRetentionMs).toBe(30 * 86_400_000);
    expect(config.links.tsDigitalPortal).toBe('https://app.teamsystemdigital.com/portale');
    expect(config.teams.appId).toBe('');
    expect(config.oidc).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
  });

  it('lists every problem at once', () => {
    let message = '';
    try {
      loadConfig({
        PORT: 'eighty',
        INVITE_REMINDERS: '30m,soon',
        DEFAULT_LOCALE: 'fr',
        MicrosoftAppId: 'app',
        OIDC_ISSUER: 'not a url',
        SLACK_BOT_TOKEN: 'xoxb-1',
        REDIS_URL: 'localhost:6379',
        HANDOFF_TIMEOUT: '0m',
      });
    } catch (error) {
      expect(error).toMatchObject({ code: 'tsid_config_invalid' });
      message = (error as Error).message;
    }
    for (const name of [
      'PORT',
      'INVITE_REMINDERS',
      'DEFAULT_LOCALE',
      'MicrosoftAppPassword',
      'OIDC_ISSUER',
      'SLACK_SIGNING_SECRET',
      'REDIS_URL',
      'HANDOFF_TIMEOUT',
    ]) {
      expect(message).toContain(name);
    }
  });

  it('reads OIDC, Slack and Teams settings', () => {
    const config = loadConfig({
      OIDC_ISSUER: 'https://id.example.test/',
      OIDC_CLIENT_ID: 'bot',
      OIDC_CLIENT_SECRET: 's',
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 'sig',
      MicrosoftAppId: 'id',
      MicrosoftAppPassword: 'pw',
      HELPDESK_AGENTS: 'U1, U2',
      INVITE_REMINDERS: '10s, 1h',
      DATA_RETENTION: '7d',
    });
    expect(config.oidc).toEqual({ issuer: 'https://id.example.test', clientId: 'bot', clientSecret: 's' });
    expect(config.helpdeskAgents).toEqual(['U1', 'U2']);
    expect(config.inviteRemindersMs).toEqual([10_000, 3_600_000]);
    expect(config.dataRetentionMs).toBe(7 * 86_400_000);
  });
  it('reads a Redis Cluster or Sentinel topology, and only one topology at a time', () => {
    const cluster = loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000, rediss://u:p@10.0.0.2:7001' });
    expect(cluster.redisClusterNodes).toEqual(['redis://10.0.0.1:7000', 'rediss://u:p@10.0.0.2:7001']);
    const sentinel = loadConfig({ REDIS_SENTINELS: 's1:26379,s2:26380', REDIS_SENTINEL_NAME: 'tsid' });
    expect(sentinel.redisSentinels).toEqual([
      { host: 's1', port: 26379 },
      { host: 's2', port: 26380 },
    ]);
    expect(sentinel.redisSentinelName).toBe('tsid');
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(problems({ REDIS_URL: 'redis://a:1', REDIS_CLUSTER_NODES: 'b:2' })).toContain(
      'only one of REDIS_URL, REDIS_CLUSTER_NODES, REDIS_SENTINELS',
    );
    expect(problems({ REDIS_SENTINELS: 's1:26379' })).toContain('REDIS_SENTINEL_NAME is required');
    expect(problems({ REDIS_SENTINELS: 's1', REDIS_SENTINEL_NAME: 'm' })).toContain(
      'REDIS_SENTINELS must be host:port',
    );
    const secret = problems({ REDIS_CLUSTER_NODES: 'redis://user:hunter2@host' });
    expect(secret).toContain('REDIS_CLUSTER_NODES must be');
    expect(secret).not.toContain('hunter2');
  });
});
