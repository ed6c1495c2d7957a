/**
 * The node arguments that run a TypeScript entry in a child process the tests spawn: the entry
 * compiled once (per Jest worker) into one ES module by esbuild, with node_modules left as
 * imports. `node --import tsx` costs each child about 1 s of CPU more (its loader hooks and
 * transforms run in every child), and the suites start some 200 children (chaos.test.ts alone
 * 120 or more): on a 2-core machine that was minutes of the run, and slow starts under load.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// Inside the repository, so the bundle's bare imports resolve to its node_modules.
const OUT_DIR = join(ROOT, 'node_modules/.cache/tsid-test-children');
const BUNDLER = fileURLToPath(new URL('./bundle-child.mjs', import.meta.url));
const compiled = new Map<string, string>();

/**
 * `[<bundle>]` for the entry at the absolute path `script`. No source maps: reading them costs
 * each child 0.2 s of CPU; a stack trace names the bundle, whose `// src/...` comments say which
 * file each part came from.
 */
export function childScriptArgs(script: string): string[] {
  return [compiledScript(script)];
}

function compiledScript(script: string): string {
  const known = compiled.get(script);
  if (known) return known;
  mkdirSync(OUT_DIR, { recursive: true });
  const partial = join(OUT_DIR, `${basename(script, '.ts')}.${process.pid}.${Date.now()}.tmp.mjs`);
  execFileSync(process.execPath, [BUNDLER, script, partial], { stdio: ['ignore', 'ignore', 'inherit'] });
  // Named by content: workers building the same entry write the same file, and a rename is atomic.
  const hash = createHash('sha256').update(readFileSync(partial)).digest('hex').slice(0, 16);
  const file = join(OUT_DIR, `${basename(script, '.ts')}-${hash}.mjs`);
  renameSync(partial, file);
  compiled.set(script, file);
  return file;
}
