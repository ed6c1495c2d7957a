import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { isLocalIssuer, loadConfig } from '../../src/config/load-config.js';
import { ENV_NAMES } from '../../src/config/env-schema.js';
import { LOG_LEVELS } from '../../src/config/env-types.js';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toMatchObject({ code: 'tsid_config_invalid' });
    return (error as Error).message.split('\n- ').slice(1);
  }
  return [];
};

/** The backquoted names in the first column of README's configuration table. */
function readmeTableNames(): string[] {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('HTTP endpoints:'));
  const rows = section.split('\n').filter((line) => line.startsWith('| `'));
  return rows.flatMap((row) => [...row.split('|')[1].matchAll(/`([A-Za-z_]+)`/g)].map((m) => m[1]));
}

/** The names assigned in .env.example, commented out or not. */
function envExampleNames(): string[] {
  const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
  return [...example.matchAll(/^#?\s*([A-Za-z_][A-Za-z0-9_]*)=/gm)].map((m) => m[1]);
}

describe('the configuration schema', () => {
  it('names the same variables as the README table and .env.example', () => {
    expect([...new Set(readmeTableNames())].sort()).toEqual([...ENV_NAMES].sort());
    expect([...new Set(envExampleNames())].sort()).toEqual([...ENV_NAMES].sort());
  });

  it("allows exactly pino's log levels", () => {
    expect([...LOG_LEVELS].sort()).toEqual([...Object.keys(pino.levels.values), 'silent'].sort());
    expect(problemsOf({ LOG_LEVEL: 'verbose' })).toEqual([
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent: verbose',
    ]);
    expect(loadConfig({ LOG_LEVEL: ' debug ' }).logLevel).toBe('debug');
  });

  it('accepts only http and https URLs', () => {
    for (const name of [
      'PUBLIC_BASE_URL',
      'SLACK_API_URL',
      'CASSA_IN_CLOUD_URL',
      'TS_DIGITAL_PORTAL_URL',
      'OIDC_ISSUER',
    ]) {
      const env = { [name]: 'ftp://files.example.test/x', OIDC_CLIENT_ID: 'bot' };
      expect(problemsOf(env)).toEqual([expect.stringMatching(new RegExp(`^${name} must be an http`))]);
    }
    expect(problemsOf({ REDIS_URL: 'http://127.0.0.1:6379' })).toEqual([
      'REDIS_URL must be a redis:// or rediss:// URL',
    ]);
  });

  it('never echoes a secret in its message', () => {
    const problems = problemsOf({ REDIS_URL: 'tcp://user:hunter2@cache:6379' });
    expect(problems).toHaveLength(1);
    expect(problems.join()).not.toContain('hunter2');
  });

  it('lists every problem at once, one line each, with the hint', () => {
    const problems = problemsOf({
      PORT: '70000',
      LOG_LEVEL: 'loud',
      SLACK_API_URL: 'ftp://x',
      DATA_RETENTION: 'forever',
      SHUTDOWN_TIMEOUT: '-1s',
      INVITE_REMINDERS: '30m,',
      LOCAL_WEB_CHAT: 'yes',
      TEAMS_EMULATOR: 'on',
      MicrosoftAppId: 'app',
      MicrosoftAppPassword: 'pw',
    });
    expect(problems).toEqual([
      'PORT must be a port number from 0 to 65535: 70000',
      'SLACK_API_URL must be an http:// or https:// URL: ftp://x',
      'INVITE_REMINDERS must be a comma-separated list of durations like 30m,24h: 30m, (write a number and a unit: ms, s, m, h or d)',
      'DATA_RETENTION must be a duration like 30d: forever (write a number and a unit: ms, s, m, h or d)',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent: loud',
      'LOCAL_WEB_CHAT must be on or off: yes',
      'SHUTDOWN_TIMEOUT must be a duration like 10s: -1s (write a number and a unit: ms, s, m, h or d)',
      'TEAMS_EMULATOR=on turns authentication off: unset it, or unset MicrosoftAppId',
    ]);
  });

  it('takes TEAMS_EMULATOR and SHUTDOWN_TIMEOUT, with defaults that follow local mode', () => {
    expect(loadConfig({})).toMatchObject({ teamsEmulator: true, localWebChat: true, shutdownTimeoutMs: 10_000 });
    const slack = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SHUTDOWN_TIMEOUT: '2s' });
    expect(slack).toMatchObject({ teamsEmulator: false, localWebChat: false, shutdownTimeoutMs: 2000 });
    expect(
      loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', TEAMS_EMULATOR: 'on' }).teamsEmulator,
    ).toBe(true);
  });

  it('accepts an http:// identity provider on a loopback host only', () => {
    for (const issuer of [
      'http://127.0.0.1:4000',
      'http://127.8.9.10/realm',
      'http://[::1]:4000',
      'http://localhost:4000',
    ]) {
      const config = loadConfig({ OIDC_ISSUER: issuer, OIDC_CLIENT_ID: 'bot' });
      expect(config.oidc?.issuer).toBe(issuer);
      expect(isLocalIssuer(config.oidc!.issuer)).toBe(true);
    }
    for (const issuer of [
      'http://id.example.test',
      'http://10.0.0.1',
      'http://128.0.0.1',
      'http://localhost.example.test',
    ]) {
      expect(problemsOf({ OIDC_ISSUER: issuer, OIDC_CLIENT_ID: 'bot' })).toEqual([
        expect.stringMatching(/^OIDC_ISSUER must be an https:\/\/ URL/),
      ]);
    }
    expect(isLocalIssuer(loadConfig({ OIDC_ISSUER: 'https://127.0.0.1', OIDC_CLIENT_ID: 'bot' }).oidc!.issuer)).toBe(
      false,
    );
  });
});
