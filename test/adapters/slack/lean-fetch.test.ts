import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { leanFetch } from '../../../adapters/slack/lean-fetch.js';
import { closeServer } from '../../../src/app/server.js';
import { dmMessage } from './signed-request.js';
import { SlackHarness } from './slack-harness.js';

let harness: SlackHarness | undefined;
let server: Server | undefined;
afterEach(async () => {
  jest.restoreAllMocks();
  await harness?.close();
  harness = undefined;
  if (server) await closeServer(server);
  server = undefined;
});

describe('leanFetch', () => {
  it("carries the Slack channel's Web API calls: a turn's post does not go through the global fetch", async () => {
    const globalFetch = jest.spyOn(globalThis, 'fetch'); // before the Web API client takes its fetch
    const h = (harness = await SlackHarness.start());
    const before = h.outcomes.length;
    expect((await h.slack.event(dmMessage('U1', 'ciao'))).status).toBe(200);
    await h.outcomesAfter(before + 1);
    expect(h.fake.served('chat.postMessage').length).toBeGreaterThan(0);
    // The test's own request to the bot goes through the global fetch; none of the bot's to Slack does.
    const toSlack = globalFetch.mock.calls.filter(([url]) => String(url).startsWith(h.fake.origin));
    expect(toSlack).toEqual([]);
  });

  it('keeps one connection for calls in a row and hands back the status, headers and body', async () => {
    let connections = 0;
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        res.writeHead(429, { 'retry-after': '3', 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: false, got: body, type: req.headers['content-type'] }));
      });
    }).on('connection', () => connections++);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/chat.postMessage`;
    const post = leanFetch();
    for (let call = 0; call < 3; call++) {
      const response = await post(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'channel=D1&text=%C3%A8',
      });
      expect(response.status).toBe(429);
      expect(response.headers.get('Retry-After')).toBe('3');
      expect(JSON.parse(await response.text())).toEqual({
        ok: false,
        got: 'channel=D1&text=%C3%A8',
        type: 'application/x-www-form-urlencoded',
      });
    }
    expect(connections).toBe(1);
  });

  it('fails a call whose connection stays silent past the idle timeout, instead of holding the turn for good', async () => {
    server = createServer(() => undefined); // reads the request, never answers
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/chat.postMessage`;
    const started = Date.now();
    await expect(leanFetch({ idleTimeoutMs: 300 })(url, { method: 'POST', body: 'channel=D1' })).rejects.toThrow(
      /no answer from 127\.0\.0\.1:\d+ within 300 ms/,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    server.closeAllConnections();
  });
});
