import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
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
const importsMatching = (source: (typeof all)[number], pattern: RegExp) =>
  source.imports.some((module) => pattern.test(module));

describe('architecture (shared/DESIGN.md dependency rule)', () => {
  it('flows import only xstate, node built-ins and the contract (src/contract)', () => {
    expect(
      offenders(
        (s) =>
          s.file.startsWith('flows/') &&
          s.imports.some(
            (m) =>
              !m.startsWith('./') &&
              m !== 'xstate' &&
              !m.startsWith('node:') &&
              !/^\.\.\/\.\.\/src\/contract\/(messages|privacy|flow-definition|text-hygiene|login-code|audit)\.js$/.test(
                m,
              ),
          ),
      ),
    ).toEqual([]);
  });

  it('the engine imports no flow, adapter or vendor SDK', () => {
    expect(
      offenders(
        (s) =>
          s.file.startsWith('src/engine/') &&
          importsMatching(s, /flows\/|adapters\/|@slack|botbuilder|botframework|openid-client|^redis$|^express$/),
      ),
    ).toEqual([]);
  });

  it('adapters never import another adapter, a flow, or runtime internals', () => {
    for (const name of ['slack', 'teams', 'local']) {
      expect(
        offenders(
          (s) =>
            s.file.startsWith(`adapters/${name}/`) &&
            s.imports.some(
              (m) =>
                /adapters\//.test(m) ||
                /^\.\.\/(slack|teams|local)\//.test(m) ||
                /flows\//.test(m) ||
                (/\.\.\/src\//.test(m) &&
                  !/\.\.\/src\/(engine\/index|errors|config\/load-config|handoff\/index|campaign\/index)\.js$/.test(m)),
            ),
        ),
      ).toEqual([]);
    }
  });

  it('keeps each vendor SDK in its one place', () => {
    expect(offenders((s) => importsMatching(s, /^@slack\//) && !s.file.startsWith('adapters/slack/'))).toEqual([]);
    expect(
      offenders((s) => importsMatching(s, /^botbuilder|^botframework/) && !s.file.startsWith('adapters/teams/')),
    ).toEqual([]);
    expect(offenders((s) => importsMatching(s, /^openid-client$/) && !s.file.startsWith('src/auth/'))).toEqual([]);
    expect(offenders((s) => importsMatching(s, /^redis$/) && s.file !== 'src/store/redis-connection.ts')).toEqual([]);
  });

  it('reads process.env only in src/config/load-config.ts', () => {
    expect(offenders((s) => /process\.env/.test(s.text) && s.file !== 'src/config/load-config.ts')).toEqual([]);
  });

  it('wires adapters and flows together only in the process (src/app)', () => {
    expect(
      offenders(
        (s) => s.file.startsWith('src/') && importsMatching(s, /adapters\/|flows\//) && !s.file.startsWith('src/app/'),
      ),
    ).toEqual([]);
  });

  it('has no folder that imports a folder importing it back (the folders form a layered graph)', () => {
    expect(folderCycles(folderGraph(all))).toEqual([]);
  });

  it('sees a cycle when two folders import each other (the check itself)', () => {
    const fake = [
      { file: 'src/a/x.ts', imports: ['../b/y.js'], text: '' },
      { file: 'src/b/y.ts', imports: ['../c/z.js'], text: '' },
      { file: 'src/c/z.ts', imports: ['../a/x.js'], text: '' },
    ];
    expect(folderCycles(folderGraph(fake))).toEqual([['src/a', 'src/b', 'src/c']]);
  });
});

/** The folder of a source file: `src/engine`, `adapters/slack`, or `src` for a file at the top of src. */
function folderOf(file: string): string {
  return file.split('/').slice(0, -1).slice(0, 2).join('/');
}

/** Folder -> the folders its files import (relative imports only). */
function folderGraph(files: { file: string; imports: string[] }[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const { file, imports } of files) {
    const from = folderOf(file);
    for (const module of imports.filter((m) => m.startsWith('.'))) {
      const to = folderOf(normalize(join(dirname(file), module)));
      if (to === from) continue;
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)!.add(to);
    }
  }
  return graph;
}

/** The strongly connected groups of more than one folder (Tarjan), each sorted: a cycle's members. */
function folderCycles(graph: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (stack.includes(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      group.push(member);
    } while (member !== node);
    if (group.length > 1) cycles.push(group.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return cycles;
}
