import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { SLACK_BODY_LIMIT_BYTES } from '../../../adapters/slack/request-size.js';
import { dmMessage, sign, SIGNING_SECRET } from './signed-request.js';
import { SlackHarness } from './slack-harness.js';

let h: SlackHarness;
beforeAll(async () => void (h = await SlackHarness.start()));
afterAll(async () => h.close());

/** Italian prose with its accents, cut to `length` characters. */
const prose = (length: number) =>
  'La fattura elettronica è già attiva: perché la società riceva le fatture, però, serve l’invito. '
    .repeat(Math.ceil(length / 90))
    .slice(0, length);

/** The largest click Slack can send the bot: on a message of 50 full sections and a full `text`. */
function largestClick(): Record<string, unknown> {
  const blocks = Array.from({ length: 50 }, (_, i) => ({
    type: 'section',
    block_id: `b${i}`,
    text: { type: 'mrkdwn', text: prose(3000), verbatim: false },
  }));
  return {
    type: 'block_actions',
    user: { id: 'U1', username: 'customer', team_id: 'T1' },
    api_app_id: 'A1',
    team: { id: 'T1', domain: 'example' },
    container: { type: 'message', message_ts: '1.000001', channel_id: 'DU1', is_ephemeral: false },
    channel: { id: 'DU1', name: 'directmessage' },
    message: { type: 'message', user: 'UBOT', ts: '1.000001', text: prose(40_000), blocks },
    response_url: `${h.fake.origin}/respond/1`,
    actions: [{ type: 'button', action_id: 'a', block_id: 'b0', value: 'v', action_ts: '1.1' }],
  };
}

/** Sends only the request head, then waits for whatever the server answers before any body byte. */
function answerToHead(headers: string[]): Promise<string> {
  const { port } = new URL(h.slack.base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () =>
      socket.write(['POST /slack/events HTTP/1.1', 'Host: 127.0.0.1', ...headers, '', ''].join('\r\n')),
    );
    let answer = '';
    socket.on('data', (chunk) => (answer += String(chunk)));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    socket.setTimeout(3_000, () => (socket.destroy(), resolve(answer || 'no answer within 3 s')));
  });
}

const now = () => Math.floor(Date.now() / 1000);

describe('Slack request bodies', () => {
  it('accepts the largest click the bot can receive (under 1 MiB form-encoded)', async () => {
    const payload = largestClick();
    const encoded = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    expect(encoded.length).toBeLessThan(SLACK_BODY_LIMIT_BYTES / 2);
    expect((await h.slack.interaction(payload)).status).toBe(200);
  });

  it('refuses a signed body declared over 1 MiB with 413', async () => {
    const huge = dmMessage('U1', 'x'.repeat(SLACK_BODY_LIMIT_BYTES));
    expect((await h.slack.event(huge)).status).toBe(413);
  });

  it('refuses a signed chunked body (no Content-Length) once it passes 1 MiB, with 413', async () => {
    const body = JSON.stringify({ type: 'event_callback', team_id: 'T1', event: dmMessage('U1', 'x'.repeat(2e6)) });
    const timestamp = now();
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(`${h.slack.base}/slack/events`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-slack-request-timestamp': String(timestamp),
          'x-slack-signature': sign(SIGNING_SECRET, timestamp, body),
        },
      });
      request.on('response', (response) => resolve(response.statusCode ?? 0));
      request.on('error', reject);
      for (let at = 0; at < body.length; at += 64 * 1024) request.write(body.slice(at, at + 64 * 1024));
      request.end();
    });
    expect(status).toBe(413);
  });

  it('refuses a declared body over 1 MiB with 413 before reading any of it', async () => {
    const answer = await answerToHead([
      `Content-Length: ${4 * SLACK_BODY_LIMIT_BYTES}`,
      'Content-Type: application/json',
      `X-Slack-Request-Timestamp: ${now()}`,
      `X-Slack-Signature: v0=${'a'.repeat(64)}`,
    ]);
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
  });

  it('refuses a request with no signature with 401 before reading its body', async () => {
    const answer = await answerToHead([
      'Content-Length: 1000',
      'Content-Type: application/json',
      `X-Slack-Request-Timestamp: ${now()}`,
    ]);
    expect(answer).toMatch(/^HTTP\/1\.1 401 /);
  });
});
