import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { BotSpec } from './bot-spec.js';
import { childScriptArgs } from '../../support/child-script.js';

const BOT_PROCESS = fileURLToPath(new URL('./bot-process.ts', import.meta.url));

export interface BotProcess {
  pid: number;
  base: string;
  /** SIGTERM, then waits for the exit (a --cpu-prof profile is written then). */
  stop(): Promise<void>;
}

/** Starts `node bot-process.ts <spec>` (compiled: child-script.ts) and waits for its port. */
export function spawnBot(spec: BotSpec, nodeFlags: string[] = []): Promise<BotProcess> {
  return spawnPortPrinter(BOT_PROCESS, JSON.stringify(spec), { name: spec.kind, nodeFlags });
}

/**
 * Starts `node <script> <arg>` (compiled: child-script.ts, without the test's NODE_OPTIONS)
 * and waits for the first line it prints, `{"port":…}`; `stderrTo` also gets its log.
 */
export async function spawnPortPrinter(
  script: string,
  arg: string,
  options: { name: string; nodeFlags?: string[]; stderrTo?: NodeJS.WritableStream },
): Promise<BotProcess> {
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeFlags ?? []), ...childScriptArgs(script), arg], {
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr = (stderr + String(chunk)).slice(-4000)));
  if (options.stderrTo) child.stderr!.pipe(options.stderrTo);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${options.name} did not start in 60 s: ${stderr}`));
    }, 60_000);
    createInterface({ input: child.stdout! }).once(
      'line',
      (line) => (clearTimeout(timer), resolve((JSON.parse(line) as { port: number }).port)),
    );
    void exited.then(() => reject(new Error(`${options.name} exited: ${stderr}`)));
  });
  return {
    pid: child.pid!,
    base: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
