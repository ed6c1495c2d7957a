/**
 * The compiled build `npm start` runs (dist/, from `npm run build`, which `npm ci` runs through
 * `prepare`). Rebuilt here only when a source is newer than the last build, so a fresh CI
 * checkout pays nothing and a developer never tests a stale build.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUILD_INFO = join(ROOT, 'dist/.tsbuildinfo');
const SOURCES = ['src', 'flows', 'adapters'];

function newestSourceMtime(): number {
  const walk = (dir: string): number[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return walk(path);
      return entry.name.endsWith('.ts') ? [statSync(path).mtimeMs] : [];
    });
  const configs = ['tsconfig.json', 'tsconfig.build.json'].map((name) => statSync(join(ROOT, name)).mtimeMs);
  return Math.max(...configs, ...SOURCES.flatMap((dir) => walk(join(ROOT, dir))));
}

/** Runs `npm run build`'s compiler when dist/ is missing or older than a source; true when it did. */
export async function ensureBuilt(): Promise<boolean> {
  const built = statSync(BUILD_INFO, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  if (built >= newestSourceMtime()) return false;
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT });
  return true;
}

/** A package.json script (`start` by default), split into words. */
export function startCommand(script = 'start'): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  return pkg.scripts[script].split(/\s+/);
}

/**
 * Spawns a script's node arguments (`start` by default) with this process's node binary and a
 * clean environment: no NODE_OPTIONS (Jest's), no REDIS_URL, nothing but PATH and `env`.
 */
export function spawnStart(env: Record<string, string>, script = 'start', extraArgs: string[] = []): ChildProcess {
  const [, ...args] = startCommand(script);
  return spawn(process.execPath, [...args, ...extraArgs], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
