import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeServer } from '../../../src/app/server.js';
import { slackLimitError } from './slack-limits-check.js';

/** One Web API call as the fake received it. */
export interface ApiCall {
  method: string;
  args: Record<string, unknown>;
  /** Answered 429 instead of served. */
  rateLimited: boolean;
  /** Answered with this platform error instead of served (see `refuseText`). */
  refused?: string;
  /** chat.postMessage: the ts the fake gave the message. */
  ts?: string;
  /** The fake has answered (after its delay, see `slow`). */
  answered?: boolean;
  at: number;
}

export const BOT_USER_ID = 'UBOT';
export const BOT_ID = 'BBOT';

/**
 * A fake Slack Web API on loopback: records every call, answers like Slack for the methods
 * the bot uses, and can answer 429 with `Retry-After` or a platform error on demand.
 * Also serves `response_url` (POST /respond/...), recorded as method `respond`.
 */
export class FakeSlackApi {
  readonly calls: ApiCall[] = [];
  /** users.info answers: user id → Slack locale (absent: no locale given). */
  readonly locales = new Map<string, string>();
  /** conversations.members answers: channel id → member user ids. */
  readonly members = new Map<string, Set<string>>();
  /** Told of every served call once answered (the benchmark's clock stops here). */
  onCall?: (call: ApiCall) => void;
  /** False: calls are not kept in `calls` (a long benchmark would fill memory). */
  keepCalls = true;
  /** users.lookupByEmail answers: e-mail → user id (absent: users_not_found). */
  readonly emails = new Map<string, string>();
  /** The workspace the token belongs to, as auth.test names it (set before the bot starts). */
  workspace: { team: string; enterprise?: string; enterpriseInstall?: boolean } = { team: 'T1' };
  /** Like Slack's per-method limits: at most `max` served calls in any `windowMs`; beyond, 429 with Retry-After. */
  private readonly windows = new Map<string, { max: number; windowMs: number; served: number[] }>();
  private readonly rateLimits = new Map<string, { times: number; retryAfterSec: number }>();
  private readonly failures = new Map<string, { times: number; error: string }>();
  private readonly delays = new Map<string, number>();
  private readonly refusals: { marker: string; error: string }[] = [];
  private nextTs = 100;

  private constructor(
    private readonly server: Server,
    readonly origin: string,
  ) {}

  static async start(): Promise<FakeSlackApi> {
    let fake: FakeSlackApi | undefined;
    const server = createServer((req, res) => void fake!.serve(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake = new FakeSlackApi(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return fake;
  }

  /** The Web API base URL to give the bot. */
  get apiUrl(): string {
    return `${this.origin}/api/`;
  }

  /** The next `times` calls of `method` answer 429 with `Retry-After: retryAfterSec`. */
  rateLimit(method: string, times: number, retryAfterSec = 1): void {
    this.rateLimits.set(method, { times, retryAfterSec });
  }

  /** From now on `method` serves at most `max` calls in any `windowMs`, answering 429 + Retry-After (whole seconds) beyond. */
  limitRate(method: string, max: number, windowMs: number): void {
    this.windows.set(method, { max, windowMs, served: [] });
  }

  /** The next `times` calls of `method` answer `{ok:false, error}`. */
  fail(method: string, error: string, times = 1): void {
    this.failures.set(method, { times, error });
  }

  /**
   * From now on every chat.postMessage whose text or blocks hold `marker` is refused with
   * `error` (`invalid_blocks`, `msg_too_long`), as Slack refuses a message it will never take.
   */
  refuseText(marker: string, error: string): void {
    this.refusals.push({ marker, error });
  }

  /** Every later call of `method` is answered `ms` later (work truly in flight). */
  slow(method: string, ms: number): void {
    this.delays.set(method, ms);
  }

  /** Served (not rate-limited) calls of one method, in order. */
  served(method: string): ApiCall[] {
    return this.calls.filter((call) => call.method === method && !call.rateLimited && !call.refused);
  }

  /** Resolves once `predicate` holds; rejects with `what` after `timeoutMs`. */
  async waitFor(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = req.url ?? '';
    const method = url.startsWith('/respond/') ? 'respond' : url.replace(/^\/api\//, '').split('?')[0];
    const args = parseArgs(raw, req.headers['content-type'] ?? '');
    const call: ApiCall = { method, args, rateLimited: false, at: Date.now() };
    if (this.keepCalls) this.calls.push(call);
    const delay = this.delays.get(method);
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay).unref()); // unref: a test may close the fake first
    call.answered = true;
    const limit = this.rateLimits.get(method);
    if (limit && limit.times > 0) {
      limit.times--;
      call.rateLimited = true;
      res.writeHead(429, { 'retry-after': String(limit.retryAfterSec), 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
    }
    const window = this.windows.get(method);
    if (window) {
      const now = Date.now();
      while (window.served.length > 0 && window.served[0] <= now - window.windowMs) window.served.shift();
      if (window.served.length >= window.max) {
        call.rateLimited = true;
        const retryAfterSec = Math.max(1, Math.ceil((window.served[0] + window.windowMs - now) / 1000));
        res.writeHead(429, { 'retry-after': String(retryAfterSec), 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      }
      window.served.push(now);
    }
    // Like Slack: too many blocks, a long section or text are refused, not posted.
    const tooBig = slackLimitError(method, args);
    if (tooBig) return json(res, { ok: false, error: tooBig });
    const refusal =
      method === 'chat.postMessage' ? this.refusals.find((r) => JSON.stringify(args).includes(r.marker)) : undefined;
    if (refusal) {
      call.refused = refusal.error;
      return json(res, { ok: false, error: refusal.error });
    }
    const failure = this.failures.get(method);
    if (failure && failure.times > 0) {
      failure.times--;
      return json(res, { ok: false, error: failure.error });
    }
    json(res, this.answer(call));
    this.onCall?.(call);
  }

  private answer(call: ApiCall): object {
    const { method, args } = call;
    switch (method) {
      case 'auth.test':
        // As Slack answers for a bot token; `enterprise_id` only inside an Enterprise Grid org.
        return {
          ok: true,
          url: 'https://example.slack.com/',
          team: 'Example',
          user: 'tsid',
          team_id: this.workspace.team,
          user_id: BOT_USER_ID,
          bot_id: BOT_ID,
          ...(this.workspace.enterprise ? { enterprise_id: this.workspace.enterprise } : {}),
          is_enterprise_install: this.workspace.enterpriseInstall ?? false,
        };
      case 'chat.postMessage': {
        call.ts = slackTs(this.nextTs++);
        return { ok: true, channel: args.channel, ts: call.ts, message: { text: args.text, ts: call.ts } };
      }
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: slackTs(this.nextTs++) };
      case 'conversations.members': {
        const members = this.members.get(String(args.channel));
        return members
          ? { ok: true, members: [...members], response_metadata: { next_cursor: '' } }
          : { ok: false, error: 'channel_not_found' };
      }
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(args.users)}` } };
      case 'users.info': {
        const locale = this.locales.get(String(args.user));
        return { ok: true, user: { id: args.user, ...(locale ? { locale } : {}) } };
      }
      case 'users.lookupByEmail': {
        const id = this.emails.get(String(args.email));
        return id ? { ok: true, user: { id, deleted: false } } : { ok: false, error: 'users_not_found' };
      }
      case 'views.publish':
        return { ok: true, view: { id: 'V1' } };
      case 'respond':
        return { ok: true };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}

function parseArgs(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const args: Record<string, unknown> = {};
  for (const [name, value] of new URLSearchParams(raw)) {
    // The Web API client sends nested arguments (blocks, view) as JSON strings.
    args[name] = name === 'blocks' || name === 'view' ? JSON.parse(value) : value;
  }
  return args;
}

function json(res: ServerResponse, body: object): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Slack message ids look like `1767600000.000100` and grow with time. */
function slackTs(n: number): string {
  return `1767600000.${String(n).padStart(6, '0')}`;
}
