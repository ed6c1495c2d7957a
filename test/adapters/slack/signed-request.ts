import { createHmac, randomUUID } from 'node:crypto';

export const SIGNING_SECRET = 'test-signing-secret';

/** Slack's v0 request signature over `v0:<timestamp>:<raw body>`. */
export function sign(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SendOptions {
  /** Seconds since the epoch (default now). */
  timestamp?: number;
  /** Sign with this secret instead of the right one (a forgery). */
  secret?: string;
  /** Slack's retry header (`X-Slack-Retry-Num`). */
  retryNum?: number;
}

/** Sends requests to the bot the way Slack does: signed, to `POST /slack/events`. */
export class SlackRequests {
  constructor(
    readonly base: string,
    private readonly secret = SIGNING_SECRET,
  ) {}

  /** An Events API envelope around `event`; returns the HTTP response. */
  event(event: Record<string, unknown>, envelope: { team?: string; eventId?: string } = {}, options: SendOptions = {}) {
    const body = JSON.stringify({
      token: 'legacy-token',
      team_id: envelope.team ?? 'T1',
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: envelope.eventId ?? `Ev${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`,
      event_time: Math.floor(Date.now() / 1000),
      event,
    });
    return this.send(body, 'application/json', options);
  }

  /** A slash command, form-encoded as Slack sends it. */
  command(fields: Record<string, string>, options: SendOptions = {}) {
    const body = new URLSearchParams({
      token: 'legacy-token',
      team_id: 'T1',
      channel_id: 'C1',
      channel_name: 'general',
      user_id: 'U1',
      command: '/tsid',
      text: '',
      trigger_id: `trigger.${randomUUID()}`,
      ...fields,
    }).toString();
    return this.send(body, 'application/x-www-form-urlencoded', options);
  }

  /** An interactivity payload (block_actions), as `payload=<json>` in a form. */
  interaction(payload: Record<string, unknown>, options: SendOptions = {}) {
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return this.send(body, 'application/x-www-form-urlencoded', options);
  }

  /** Any raw body, signed (or not) as `options` say. */
  async send(body: string, contentType: string, options: SendOptions = {}): Promise<{ status: number; text: string }> {
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': sign(options.secret ?? this.secret, timestamp, body),
    };
    if (options.retryNum !== undefined) {
      headers['x-slack-retry-num'] = String(options.retryNum);
      headers['x-slack-retry-reason'] = 'http_timeout';
    }
    const response = await fetch(`${this.base}/slack/events`, { method: 'POST', body, headers });
    return { status: response.status, text: await response.text() };
  }
}

/**
 * Typed text as Slack puts it in an event: `&`, `<` and `>` as entities. Written out here,
 * not taken from the adapter, so the adapter's decoding is checked against Slack's rules.
 */
export function slackEscaped(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** A DM message event from a user, as Slack sends it (text already Slack-escaped). */
export function dmMessage(user: string, text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const ts = `${Math.floor(Date.now() / 1000)}.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  return { type: 'message', channel: `D${user}`, channel_type: 'im', user, text, ts, event_ts: ts, ...extra };
}
