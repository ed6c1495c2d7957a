import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('the process crash handlers', () => {
  it('log an unhandled rejection with its code and go on; log an uncaught exception with its code and exit 1', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'test/app/crash-process.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 20_000,
    });
    const lines = run.stdout.split('\n').filter(Boolean);
    const rejection = lines.findIndex((line) => line.includes('unhandled promise rejection'));
    const alive = lines.indexOf('still alive');
    const exception = lines.findIndex((line) => line.includes('uncaught exception'));
    expect(rejection).toBeGreaterThanOrEqual(0);
    expect(lines[rejection]).toContain('"code":"tsid_store_unavailable"');
    expect(alive).toBeGreaterThan(rejection);
    expect(exception).toBeGreaterThan(alive);
    expect(lines[exception]).toContain('"code":"tsid_internal"');
    expect(run.status).toBe(1);
  });
});
