import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';

/** Every TypeScript file below `dir`, with the modules it imports. */
function sources(dir: string): { file: string; imports: string[]; text: string }[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    if (!name.endsWith('.ts')) return [];
    const text = readFileSync(path, 'utf8');
    const imports = [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((match) => match[1]);
    return [{ file: path, imports, text }];
  });
}

const all = [...sources('src'), ...sources('flows'), ...sources('adapters')];
const offenders = (test: (source: (typeof all)[number]) => boolean) => all.filter(test).map((source) => source.file);
const importsMatching = (source: (typeof all)[number], pattern: RegExp) => source.imports.some((module) => pattern.test(module));
const COMPOSITION_ROOTS = ['src/main.ts', 'src/chat.ts', 'src/campaign-cli.ts'];

describe('architecture (shared/DESIGN.md dependency rule)', () => {
  it('flows import only xstate, node built-ins and the engine contract', () => {
    expect(offenders((s) => s.file.startsWith('flows/') && s.imports.some((m) =>
      !m.startsWith('./') && m !== 'xstate' && !m.startsWith('node:') && !/^\.\.\/\.\.\/src\/engine\/(messages|privacy|flow-definition)\.js$/.test(m)))).toEqual([]);
  });

  it('the engine imports no flow, adapter or vendor SDK', () => {
    expect(offenders((s) => s.file.startsWith('src/engine/') &&
      importsMatching(s, /flows\/|adapters\/|@slack|botbuilder|botframework|openid-client|^redis$|^express$/))).toEqual([]);
  });

  it('adapters never import another adapter, a flow, or runtime internals', () => {
    for (const name of ['slack', 'teams', 'local']) {
      expect(offenders((s) => s.file.startsWith(`adapters/${name}/`) && s.imports.some((m) =>
        /adapters\//.test(m) || /^\.\.\/(slack|teams|local)\//.test(m) || /flows\//.test(m) ||
        (/\.\.\/src\//.test(m) && !/\.\.\/src\/(engine\/index|errors|config|server|handoff\/index|campaign\/index)\.js$/.test(m))))).toEqual([]);
    }
  });

  it('keeps each vendor SDK in its one place', () => {
    expect(offenders((s) => importsMatching(s, /^@slack\//) && !s.file.startsWith('adapters/slack/'))).toEqual([]);
    expect(offenders((s) => importsMatching(s, /^botbuilder|^botframework/) && !s.file.startsWith('adapters/teams/'))).toEqual([]);
    expect(offenders((s) => importsMatching(s, /^openid-client$/) && !s.file.startsWith('src/auth/'))).toEqual([]);
    expect(offenders((s) => importsMatching(s, /^redis$/) && !/^src\/(store|scheduler)\/redis-/.test(s.file))).toEqual([]);
  });

  it('reads process.env only in src/config.ts', () => {
    expect(offenders((s) => /process\.env/.test(s.text) && s.file !== 'src/config.ts')).toEqual([]);
  });

  it('wires adapters and flows together only in the composition roots', () => {
    expect(offenders((s) => s.file.startsWith('src/') && importsMatching(s, /adapters\/|flows\//) && !COMPOSITION_ROOTS.includes(s.file))).toEqual([]);
  });
});
