import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { createSlackChannel } from '../../adapters/slack/index.js';
import { createTeamsChannel } from '../../adapters/teams/index.js';
import { closeServer, createHttpApp, HTTP_LIMITS, listen } from '../../src/app/server.js';
import type { TurnHandler } from '../../src/engine/index.js';

// Nothing here may reach a turn: the requests never finish.
const turns: TurnHandler = {
  handle: () => Promise.reject(new Error('no turn expected')),
  status: () => Promise.reject(new Error('no turn expected')),
};
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };

let server: Server;
let port: number;

beforeAll(async () => {
  const http = createHttpApp({ readiness: async () => undefined });
  createSlackChannel({ botToken: 'xoxb-test', signingSecret: 'secret', http, logger: quiet });
  createTeamsChannel({ teams: { appId: '', appType: 'MultiTenant' }, turns, log: quiet }).mount(http);
  server = await listen(http, 0, '127.0.0.1');
  port = (server.address() as { port: number }).port;
});
afterAll(async () => closeServer(server));

/**
 * Opens a socket and resolves, once the server closes it, with how long that took (ms) from the moment the
 * connection was made (a loaded machine may take a while to accept 200 connections; that is not the bound).
 */
function openSocket(start: (socket: Socket) => void): { closed: Promise<number>; socket: Socket } {
  let opened = Date.now();
  const socket = connect(port, '127.0.0.1', () => {
    opened = Date.now();
    start(socket);
  });
  socket.on('error', () => undefined);
  socket.resume();
  const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now() - opened)));
  return { closed, socket };
}

/** A POST whose headers are complete and whose body comes one byte every 2 s. */
function slowBody(path: string, extraHeaders: string[]): { closed: Promise<number>; socket: Socket } {
  let timer: NodeJS.Timeout | undefined;
  const opened = openSocket((socket) => {
    const head = [`POST ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Content-Length: 1000', ...extraHeaders, '', ''];
    socket.write(head.join('\r\n'));
    timer = setInterval(() => socket.writable && socket.write('a'), 2_000);
  });
  void opened.closed.then(() => clearInterval(timer));
  return opened;
}

const slackHeaders = () => [
  'Content-Type: application/x-www-form-urlencoded',
  `X-Slack-Request-Timestamp: ${Math.floor(Date.now() / 1000)}`,
  `X-Slack-Signature: v0=${'0'.repeat(64)}`,
];

describe('slow clients', () => {
  it('has the request bounds it documents (whole request within 10 s)', () => {
    expect(HTTP_LIMITS.requestTimeoutMs + HTTP_LIMITS.checkIntervalMs).toBeLessThanOrEqual(10_000);
    expect(server.requestTimeout).toBe(HTTP_LIMITS.requestTimeoutMs);
    expect(server.headersTimeout).toBe(HTTP_LIMITS.headersTimeoutMs);
    expect(server.keepAliveTimeout).toBe(HTTP_LIMITS.keepAliveTimeoutMs);
    expect(server.maxConnections).toBe(HTTP_LIMITS.maxConnections);
  });

  it('closes a POST to /slack/events that trickles one body byte every 2 s within 10 s', async () => {
    const { closed } = slowBody('/slack/events', slackHeaders());
    expect(await closed).toBeLessThanOrEqual(10_000);
  }, 15_000);

  it('closes a socket whose request headers never finish, within the headers bound', async () => {
    const { closed } = openSocket((socket) => {
      socket.write('POST /api/messages HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      const timer = setInterval(() => socket.writable && socket.write('X-Slow: 1\r\n'), 1_000);
      socket.on('close', () => clearInterval(timer));
    });
    expect(await closed).toBeLessThanOrEqual(HTTP_LIMITS.headersTimeoutMs + 1_000);
  }, 15_000);

  it('closes 200 slow sockets on the Slack and Teams routes, all within 10 s', async () => {
    const sockets = Array.from({ length: 200 }, (_, i) =>
      i % 2 ? slowBody('/slack/events', slackHeaders()) : slowBody('/api/messages', ['Content-Type: application/json']),
    );
    const times = await Promise.all(sockets.map(({ closed }) => closed));
    expect(Math.max(...times)).toBeLessThanOrEqual(10_000);
  }, 15_000);
});
