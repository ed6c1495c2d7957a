import type { FakeSlackApi } from '../adapters/slack/fake-slack-api.js';

/** The texts the bot posted to `channel`, in order. */
export const textsIn = (fake: FakeSlackApi, channel: string) =>
  fake
    .served('chat.postMessage')
    .filter((call) => call.args.channel === channel)
    .map((call) => String(call.args.text ?? ''));

/** One line's value on the bot's /metrics (0 when absent). */
export async function metric(base: string, line: string): Promise<number> {
  const found = (await (await fetch(`${base}/metrics`)).text()).split('\n').find((l) => l.startsWith(line));
  return Number(found?.split(' ')[1] ?? 0);
}

export async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
