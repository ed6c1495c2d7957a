import express, { type Express } from 'express';
import type { Server } from 'node:http';
import type { DrainGate } from './drain-gate.js';

export interface HttpAppOptions {
  /** Resolves when every dependency (Redis) answers; rejects otherwise. */
  readiness: () => Promise<void>;
  /** Prometheus text exposition. */
  metrics?: () => Promise<{ contentType: string; body: string }>;
  /** Refuses requests once a shutdown has begun (and `/readyz` with them). */
  gate?: DrainGate;
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

/** Listens on `port` (0: any free port) and resolves with the server. */
export function listen(app: Express, port: number, host?: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host ?? '0.0.0.0', (error?: Error) => (error ? reject(error) : resolve(server)));
  });
}

/** Closes a server without waiting for idle keep-alive sockets (they would hold Jest open). */
export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
