import express, { type Express } from 'express';
import { createServer, type Server } from 'node:http';
import type { DrainGate } from './drain-gate.js';

export interface HttpAppOptions {
  /** Resolves when every dependency (Redis) answers; rejects otherwise. */
  readiness: () => Promise<void>;
  /** Prometheus text exposition. */
  metrics?: () => Promise<{ contentType: string; body: string }>;
  /** Refuses requests once a shutdown has begun (and `/readyz` with them). */
  gate?: DrainGate;
  /** True while the process holds its turn budget: `/readyz` says busy so a load balancer sends work elsewhere. */
  busy?: () => boolean;
}

/**
 * The one HTTP app. Adapters mount their own routes on it; no global body parser, since
 * Bolt needs the raw body to verify Slack's signature.
 */
export function createHttpApp(options: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  if (options.gate) app.use(options.gate.middleware);
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await options.readiness();
      if (options.busy?.()) {
        res.status(503).json({ status: 'busy' });
        return;
      }
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  });
  if (options.metrics) {
    const metrics = options.metrics;
    app.get('/metrics', async (_req, res) => {
      const { contentType, body } = await metrics();
      res.type(contentType).send(body);
    });
  }
  return app;
}

/**
 * How long a client may take, and how many may be connected at once. Node's defaults
 * (headers 60 s, whole request 300 s, checked every 30 s) let a client that trickles a byte
 * every few seconds hold a socket for five minutes. Slack and the Bot Connector send whole
 * requests at once, so a request not received within 8 s is cut (408) whatever the route.
 */
export interface HttpLimits {
  /** All request headers must arrive within this (Node: 408 and close). */
  headersTimeoutMs: number;
  /** The whole request, body included, must arrive within this; the response may take longer. */
  requestTimeoutMs: number;
  /** An idle keep-alive socket is closed after this. */
  keepAliveTimeoutMs: number;
  /** How often Node looks for requests over their time: the cut comes at most this late. */
  checkIntervalMs: number;
  /** Sockets beyond this are closed at once (`server.maxConnections`; HTTP_MAX_CONNECTIONS). */
  maxConnections: number;
}

export const HTTP_LIMITS: HttpLimits = {
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 8_000,
  keepAliveTimeoutMs: 5_000,
  checkIntervalMs: 500,
  maxConnections: 2_000,
};

/** Listens on `port` (0: any free port) of `host` (default all interfaces) and resolves with the server. */
export function listen(app: Express, port: number, host?: string, limits: Partial<HttpLimits> = {}): Promise<Server> {
  const bounds = { ...HTTP_LIMITS, ...limits };
  const server = createServer(
    {
      headersTimeout: bounds.headersTimeoutMs,
      requestTimeout: bounds.requestTimeoutMs,
      keepAliveTimeout: bounds.keepAliveTimeoutMs,
      connectionsCheckingInterval: bounds.checkIntervalMs,
    },
    app,
  );
  server.maxConnections = bounds.maxConnections;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

/** Closes a server without waiting for idle keep-alive sockets (they would hold Jest open). */
export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
