import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { onFreePort, PortTakenError } from '../support/free-port.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A bot process the test started; its JSON log lines are collected as they come. */
export interface ChildBot {
  readonly child: ChildProcess;
  readonly base: string;
  /** Every stdout and stderr line so far. */
  readonly lines: string[];
  /** Resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>;
  alive(): boolean;
  /** Resolves once a line contains `text`; rejects after `timeoutMs`. */
  waitForLine(text: string, timeoutMs?: number): Promise<string>;
  kill(): Promise<void>;
}

/**
 * Spawns `node --import tsx <script>` (a path from the repository root) on a free port
 * with exactly `env` (plus PATH and the port), and waits for its "started" log line. A bot
 * that finds its port taken (EADDRINUSE) is started again on another.
 */
export function spawnBot(script: string, env: Record<string, string>): Promise<ChildBot> {
  return onFreePort(async (port) => {
    const bot = spawnOn(script, env, port);
    try {
      await bot.waitForLine('tsid-assistant started');
      return bot;
    } catch (error) {
      await bot.kill();
      if (bot.lines.some((line) => line.includes('EADDRINUSE'))) throw new PortTakenError((error as Error).message);
      throw error;
    }
  });
}

function spawnOn(script: string, env: Record<string, string>, port: number): ChildBot {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const collect = (chunk: Buffer) => lines.push(...String(chunk).split('\n').filter(Boolean));
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  const bot: ChildBot = {
    child,
    base: `http://127.0.0.1:${port}`,
    lines,
    exited,
    alive: () => child.exitCode === null && child.signalCode === null,
    async waitForLine(text, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const line = lines.find((candidate) => candidate.includes(text));
        if (line) return line;
        if (!bot.alive())
          throw new Error(
            `the bot exited (${child.exitCode ?? child.signalCode}) before "${text}":\n${lines.join('\n')}`,
          );
        if (Date.now() > deadline) throw new Error(`no "${text}" within ${timeoutMs} ms:\n${lines.join('\n')}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async kill() {
      if (bot.alive()) child.kill('SIGKILL');
      await exited;
    },
  };
  return bot;
}
