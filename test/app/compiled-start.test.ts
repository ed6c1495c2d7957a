import { describe, expect, it } from '@jest/globals';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { ensureBuilt, spawnStart, startCommand } from '../support/compiled-build.js';
import { freePort } from '../support/free-port.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';

async function waitForHealth(url: string, child: { exitCode: number | null }, output: () => string): Promise<Response> {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}:\n${output()}`);
    const answer = await fetch(url).catch(() => undefined);
    if (answer) return answer;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no answer from ${url}:\n${output()}`);
}

describe('npm start', () => {
  it('runs the compiled entry on plain node, answers /healthz, and exits on SIGTERM', async () => {
    const rebuilt = await ensureBuilt();
    console.log(`[figure] compiled build rebuilt for this test: ${rebuilt}`);
    const command = startCommand();
    expect(command[0]).toBe('node');
    expect(command.at(-1)).toBe('dist/src/app/main.js');
    expect(command.join(' ')).not.toMatch(/tsx|--import|--loader|--experimental-strip-types/);

    const port = await freePort();
    const child = spawnStart({ PORT: String(port), LOG_LEVEL: 'info' });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    try {
      const health = await waitForHealth(`http://127.0.0.1:${port}/healthz`, child, () => output);
      expect(health.status).toBe(200);
      // What the kernel ran: node on the compiled file, no loader and no tsx anywhere in argv or NODE_OPTIONS.
      const argv = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      expect(argv.slice(1)).toEqual(command.slice(1));
      const environ = readFileSync(`/proc/${child.pid}/environ`, 'utf8').split('\0');
      expect(environ.filter((line) => line.startsWith('NODE_OPTIONS='))).toEqual([]);
      expect(output).toContain('tsid-assistant started');
    } finally {
      const exited = child.exitCode === null ? once(child, 'exit') : Promise.resolve([child.exitCode]);
      child.kill('SIGTERM');
      const [code] = await exited;
      expect(code).toBe(0);
    }
  }, 240_000);
});

describe('npm run campaign', () => {
  it('runs the compiled CLI on plain node (no tsx, a devDependency a production install leaves out) and answers from Redis', async () => {
    await ensureBuilt();
    const command = startCommand('campaign');
    expect(command[0]).toBe('node');
    expect(command.at(-1)).toBe('dist/src/app/campaign-cli.js');
    expect(command.join(' ')).not.toMatch(/tsx|--import|--loader|--experimental-strip-types/);
    const child = spawnStart({ REDIS_URL: testRedisUrl(), REDIS_PREFIX: uniquePrefix('campaign-cli') }, 'campaign', [
      'list',
    ]);
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const [code] = await once(child, 'exit');
    expect(`${code} ${output.trim()}`).toBe('0 No campaigns.');
  }, 240_000);
});
