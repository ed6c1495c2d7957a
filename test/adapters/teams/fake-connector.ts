import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeServer } from '../../../src/app/server.js';
import { connectorLimitError } from './teams-limits-check.js';

/** One activity the bot sent (POST) or rewrote (PUT), as the connector received it. */
export interface CapturedActivity {
  seq: number;
  /** `Date.now()` when the connector received the call (timing tests measure with it). */
  at: number;
  method: 'POST' | 'PUT';
  conversationId: string;
  /** POST: the id the connector gave the new activity; PUT: the activity rewritten. */
  id: string;
  /** POST to `/activities/:replyToId` only. */
  replyToId?: string;
  activity: Record<string, unknown>;
  authorization?: string;
}

/** Refuses the next calls: `status` for `times` calls (429 and 5xx test the retries). */
export interface Failure {
  status: number;
  times: number;
  retryAfter?: string;
  /** Only calls with this method (default: any activity call). */
  method?: 'POST' | 'PUT';
}

/**
 * A Bot Connector on loopback: what `activity.serviceUrl` points at in tests. It records
 * every activity the bot sends or updates, creates conversations, answers with fresh ids,
 * and can refuse calls on demand. It also serves OpenID metadata and a JWKS, so token
 * validation runs against local keys.
 */
export class FakeConnector {
  readonly captured: CapturedActivity[] = [];
  readonly created: Record<string, unknown>[] = [];
  /** Every call to an activity route, refused ones included. */
  attempts = 0;
  /** Every request of any kind this connector received. */
  requests = 0;
  /** Activities refused with 413 for their size. */
  refusedTooLarge = 0;
  /** Answer 403 to conversation creation (the user has not installed the app personally). */
  refuseConversations = false;
  /** GET members answers: Teams user id → AAD object id. */
  readonly aadIds = new Map<string, string>();
  /** Published at `/openid/keys`. */
  jwks: { keys: object[] } = { keys: [] };
  /** Told of every activity posted or updated, once answered (the benchmark's clock stops here). */
  onActivity?: (entry: CapturedActivity) => void;
  /** False: activities are not kept in `captured` (a long benchmark would fill memory). */
  keepActivities = true;
  private failures: Failure[] = [];
  private readonly personal = new Map<string, string>();
  private seq = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeConnector> {
    const app = express();
    let connector: FakeConnector | undefined;
    app.use((_req, _res, next) => void (connector && connector.requests++, next()));
    // Keeps the raw size: Teams refuses an activity past its limit with 413 (teams-limits-check.ts).
    app.use(express.json({ limit: '1mb', verify: (req, _res, raw) => void ((req as RawSized).rawBytes = raw.length) }));
    app.use((req, res, next) => {
      const tooBig = /\/activities|^\/v3\/conversations$/.test(req.path)
        ? connectorLimitError((req as RawSized).rawBytes ?? 0)
        : undefined;
      if (tooBig) connector!.refusedTooLarge++;
      return tooBig ? void res.status(413).json(tooBig) : next();
    });
    app.use((req, res, next) => (connector ? connector.route(req, res, next) : next()));
    const server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    connector = new FakeConnector(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return connector;
  }

  /** `activity.serviceUrl` for activities that should reach this connector. */
  get serviceUrl(): string {
    return `${this.url}/`;
  }

  /** OpenID metadata URL for `TeamsAuthOptions.openIdMetadataUrl`. */
  get openIdMetadataUrl(): string {
    return `${this.url}/openid/.well-known/openid-configuration`;
  }

  failNext(failure: Failure): void {
    this.failures.push({ ...failure });
  }

  /** What the bot posted (new messages), in order. */
  posted(): CapturedActivity[] {
    return this.captured.filter((entry) => entry.method === 'POST');
  }

  updates(): CapturedActivity[] {
    return this.captured.filter((entry) => entry.method === 'PUT');
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }

  private route(req: express.Request, res: express.Response, next: express.NextFunction): void {
    const path = req.path.split('/').map(decodeURIComponent);
    if (req.method === 'GET' && req.path === '/openid/.well-known/openid-configuration') {
      res.json({ issuer: 'https://api.botframework.com', jwks_uri: `${this.url}/openid/keys` });
    } else if (req.method === 'GET' && req.path === '/openid/keys') {
      res.json(this.jwks);
    } else if (req.method === 'POST' && req.path === '/v3/conversations') {
      if (this.refuseConversations) {
        res.status(403).json({ error: { code: 'Forbidden', message: 'the bot is not installed for this user' } });
        return;
      }
      this.created.push(req.body);
      const channel = (req.body as { channelData?: { channel?: { id?: string } } }).channelData?.channel?.id;
      if (channel) return this.channelPost(req, res, channel);
      // Like Teams: a 1:1 conversation with the same user is the same conversation.
      const member = (req.body as { members?: { id?: string }[] }).members?.[0]?.id ?? '';
      if (!this.personal.has(member)) this.personal.set(member, `a:personal-${this.personal.size + 1}`);
      res.status(201).json({ id: this.personal.get(member) });
    } else if (
      req.method === 'GET' &&
      path[1] === 'v3' &&
      path[2] === 'conversations' &&
      path[4] === 'members' &&
      path[5]
    ) {
      const aadObjectId = this.aadIds.get(path[5]);
      if (!aadObjectId)
        res.status(404).json({ error: { code: 'MemberNotFoundInConversation', message: 'no such member' } });
      else res.json({ id: path[5], name: '', aadObjectId });
    } else if (path[1] === 'v3' && path[2] === 'conversations' && path[4] === 'activities') {
      this.activity(req, res, path[3], path[5]);
    } else {
      next();
    }
  }

  /** A new post in a team channel: Teams names its reply chain `<channel>;messageid=<post id>`. */
  private channelPost(req: express.Request, res: express.Response, channel: string): void {
    const at = Date.now();
    this.seq += 1;
    const id = `m${this.seq}`;
    const conversationId = `${channel};messageid=${id}`;
    const activity = (req.body as { activity?: Record<string, unknown> }).activity ?? {};
    this.captured.push({
      seq: this.seq,
      at,
      method: 'POST',
      conversationId,
      id,
      activity,
      authorization: req.headers.authorization,
    });
    res.status(201).json({ id: conversationId, activityId: id });
  }

  private activity(
    req: express.Request,
    res: express.Response,
    conversationId: string,
    pathId: string | undefined,
  ): void {
    const at = Date.now();
    this.attempts += 1;
    const failure = this.failures[0];
    if (failure && (!failure.method || failure.method === req.method)) {
      if (--failure.times <= 0) this.failures.shift();
      if (failure.retryAfter) res.setHeader('Retry-After', failure.retryAfter);
      res
        .status(failure.status)
        .json({ error: { code: 'Refused', message: `fake connector answered ${failure.status}` } });
      return;
    }
    const method = req.method === 'PUT' ? 'PUT' : 'POST';
    if (method === 'PUT' && !pathId) {
      res.status(400).json({ error: { code: 'BadArgument', message: 'PUT needs an activity id' } });
      return;
    }
    this.seq += 1;
    const id = method === 'PUT' ? pathId! : `m${this.seq}`;
    const authorization = req.headers.authorization;
    const entry: CapturedActivity = {
      seq: this.seq,
      at,
      method,
      conversationId,
      id,
      replyToId: method === 'POST' ? pathId : undefined,
      activity: req.body,
      authorization,
    };
    if (this.keepActivities) this.captured.push(entry);
    res.status(method === 'POST' ? 201 : 200).json({ id });
    this.onActivity?.(entry);
  }
}

type RawSized = express.Request & { rawBytes?: number };
