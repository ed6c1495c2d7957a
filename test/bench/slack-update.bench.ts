/**
 * Which call redraws a clicked Slack message for less CPU on our side: `chat.update` through the
 * Web API client (what SlackSender uses), or a POST to the click's `response_url` as Bolt's
 * `respond()` makes it (`fetch`, JSON, `replace_original`). The same answered message, against a
 * loopback server in a child process (so its CPU is not counted), keep-alive both ways.
 *
 *   npx tsx test/bench/slack-update.bench.ts [calls]
 */
import { webApi } from '@slack/bolt';
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { once } from 'node:events';
import { leanFetch } from '../../adapters/slack/lean-fetch.js';
import { renderAnswered, renderMessage } from '../../adapters/slack/render-blocks.js';
import type { PromptMessage } from '../../src/engine/index.js';
import { median } from './wire/stats.js';

const SERVER = `
const http = require('node:http');
const ok = JSON.stringify({ ok: true, channel: 'D1', ts: '1.000001', text: '' });
http.createServer((req, res) => {
  req.resume();
  req.on('end', () => { res.setHeader('content-type', 'application/json'); res.end(req.url.startsWith('/hook') ? 'ok' : ok); });
}).listen(0, '127.0.0.1', function () { console.log(this.address().port); });
`;

const question: PromptMessage = {
  kind: 'prompt',
  step: 'tsid.admin',
  locale: 'it',
  text: 'Sei tu l’amministratore del tuo account Cassa in Cloud? Solo l’amministratore può collegare TS Digital.',
  choices: [
    { id: 'yes', label: 'Sì' },
    { id: 'no', label: 'No' },
    { id: 'unsure', label: 'Non lo so' },
  ],
};

async function cpuPerCall(calls: number, call: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 200; i++) await call(); // warm-up: connections, JIT
  const before = process.cpuUsage();
  for (let i = 0; i < calls; i++) await call();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / calls;
}

export async function slackUpdateCost(calls = 3000, runs = 3): Promise<string[]> {
  const server = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [port] = (await once(server.stdout, 'data')) as [Buffer];
  const base = `http://127.0.0.1:${String(port).trim()}`;
  try {
    const client = new webApi.WebClient('xoxb-bench', { slackApiUrl: `${base}/api/` });
    const answered = renderAnswered(question, 'yes', renderMessage(question))!;
    const update = () => client.chat.update({ channel: 'D1', ts: '1.000001', ...answered });
    const lean = new webApi.WebClient('xoxb-bench', { slackApiUrl: `${base}/api/`, fetch: leanFetch() });
    const updateLean = () => lean.chat.update({ channel: 'D1', ts: '1.000001', ...answered });
    const respond = async () => {
      const response = await fetch(`${base}/hook/T1/B1/x`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ replace_original: true, ...answered }),
      });
      await response.text();
    };
    const agent = new Agent({ keepAlive: true });
    const posted = (body: string) =>
      new Promise<void>((resolve, reject) => {
        const sent = request(`${base}/hook/T1/B1/x`, {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        });
        sent.on('response', (response) => response.resume().on('end', resolve)).on('error', reject);
        sent.end(body);
      });
    const respondHttp = () => posted(JSON.stringify({ replace_original: true, ...answered }));
    const ways: [string, () => Promise<unknown>][] = [
      ['chat.update (WebClient, global fetch)', update],
      ['chat.update (WebClient, leanFetch)', updateLean],
      ['response_url (fetch, as Bolt respond)', respond],
      ['response_url (node:http, keep-alive agent)', respondHttp],
    ];
    const measured = new Map<string, number[]>();
    for (let run = 0; run < runs; run++) {
      for (const [name, call] of ways)
        measured.set(name, [...(measured.get(name) ?? []), await cpuPerCall(calls, call)]);
    }
    return ways.map(([name]) => `[figure] slackUpdateCpuUs.${name}: ${Math.round(median(measured.get(name)!))}`);
  } finally {
    server.kill();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of await slackUpdateCost(Number(process.argv[2] ?? 3000))) console.log(line);
}
