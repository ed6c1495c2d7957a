import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runCampaignCli } from '../../src/app/campaign-cli.js';
import { loadConfig, type Config } from '../../src/config/load-config.js';
import { closeRedisConnection, type RedisConnection } from '../../src/store/redis-connection.js';
import { connectRedis, deleteKeys } from '../support/redis-client.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';

const prefix = uniquePrefix('cli-answers');
let redis: RedisConnection;
let folder: string;

beforeAll(async () => {
  redis = await connectRedis();
  folder = await mkdtemp(join(tmpdir(), 'campaign-cli-'));
});
afterAll(async () => {
  await deleteKeys(redis, prefix);
  closeRedisConnection(redis);
});

async function cli(config: Config, ...args: string[]): Promise<{ code: number; text: string }> {
  const out: string[] = [];
  const code = await runCampaignCli(args, config, { out: (text) => out.push(text) });
  return { code, text: out.join('\n') };
}

/** A port nothing listens on: taken, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const noRedis = () => loadConfig({});
const withRedis = () => loadConfig({ REDIS_URL: testRedisUrl(), REDIS_PREFIX: prefix });

describe('npm run campaign: help and usage mistakes are answered without Redis', () => {
  it.each([['--help'], ['help'], ['-h'], ['start', '--help']])('"%s" prints the usage and exits 0', async (...args) => {
    const { code, text } = await cli(noRedis(), ...args);
    expect(code).toBe(0);
    expect(text).toContain('npm run campaign -- start --name NAME --file customers.csv');
    expect(text).not.toContain('REDIS_URL');
  });

  it('names the missing argument: start --file x.csv without --name', async () => {
    const { code, text } = await cli(noRedis(), 'start', '--file', 'x.csv');
    expect(code).toBe(2);
    expect(text).toMatch(/^start needs --name NAME\./);
  });

  it('names a missing value, an unknown command and a bad rate', async () => {
    expect((await cli(noRedis(), 'start', '--name', 'a', '--file')).text).toMatch(/^--file needs a value\./);
    expect((await cli(noRedis(), 'launch')).text).toMatch(/^"launch" is not a command\./);
    expect((await cli(noRedis(), 'status')).text).toMatch(/^status needs the campaign's name/);
    expect((await cli(noRedis(), 'start', '--name', 'a', '--file', 'x', '--rate', 'fast')).text).toMatch(
      /^--rate must be a number of starts per minute above 0/,
    );
  });
});

describe('npm run campaign: file and Redis problems are plain sentences with the path or address', () => {
  it('a missing file: "Cannot read the file <path>: there is no such file."', async () => {
    const path = join(folder, 'nope.csv');
    const { code, text } = await cli(withRedis(), 'start', '--name', 'x', '--file', path);
    expect(code).toBe(1);
    expect(text).toBe(`Cannot read the file ${path}: there is no such file.`);
  });

  it('an unreachable Redis is named by its address (no password) within a few seconds', async () => {
    const port = await closedPort();
    const config = loadConfig({ REDIS_URL: `redis://:secret@127.0.0.1:${port}` });
    const started = Date.now();
    const { code, text } = await cli(config, 'list');
    const tookMs = Date.now() - started;
    console.log(`[figure] campaign CLI: unreachable Redis reported after ${tookMs} ms`);
    expect(code).toBe(1);
    expect(text).toContain(`Redis at redis://127.0.0.1:${port} did not answer`);
    expect(text).not.toContain('secret');
    expect(tookMs).toBeLessThan(6500); // it waits 3 s; was 7.5 s before
  }, 20_000);
});

describe('npm run campaign: a dry run without Slack configured', () => {
  it('says "Slack is not configured" once, counts a repeated row as a duplicate, and never prints Infinity', async () => {
    const path = join(folder, 'slack-only.csv');
    await writeFile(path, ['slack,U0001', 'slack,anna@example.it', 'slack,U0001', 'slack,U0002'].join('\n'));
    const { code, text } = await cli(withRedis(), 'start', '--name', 'dry-slack', '--file', path, '--dry-run');
    expect(code).toBe(1); // nobody to start
    expect(text.match(/Slack is not configured/g)).toHaveLength(1);
    expect(text).toContain('Slack is not configured on this bot (set SLACK_BOT_TOKEN): its 3 row(s) were skipped');
    expect(text).toContain('1 duplicates');
    expect(text).toContain('line 3: same customer as line 1');
    expect(text).toContain('0 unknown users');
    expect(text).toContain('pace: none (nobody to start)');
    expect(text).not.toContain('Infinity');
    expect(text).not.toContain('anna@example.it');
  });
});

describe('configuration errors say the rule that was broken', () => {
  it.each([
    ['INVITE_REMINDERS', '0s', 'a duration must be more than 0'],
    ['INVITE_REMINDERS', '30m,0s', 'a duration must be more than 0'],
    ['HANDOFF_TIMEOUT', '0s', 'a duration must be more than 0'],
    ['HANDOFF_TIMEOUT', 'soon', 'write a number and a unit: ms, s, m, h or d'],
  ])('%s=%s: "%s"', (name, value, rule) => {
    expect(() => loadConfig({ [name]: value })).toThrow(`${name} must be`);
    expect(() => loadConfig({ [name]: value })).toThrow(`: ${value} (${rule})`);
  });
});
