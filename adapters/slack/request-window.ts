import type { IncomingMessage, ServerResponse } from 'node:http';

/** Slack's replay window: a signed request older or newer than this is refused. */
export const REQUEST_WINDOW_SECONDS = 300;

/**
 * Refuses (401) requests whose `X-Slack-Request-Timestamp` is more than five minutes from
 * now in either direction. Bolt refuses old ones only, so a captured request signed with
 * a future timestamp could otherwise be replayed until that time; this runs before Bolt.
 */
export function requestWindow(now: () => number = Date.now) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    const header = req.headers['x-slack-request-timestamp'];
    const timestamp = Number(Array.isArray(header) ? header[0] : header);
    if (Number.isFinite(timestamp) && Math.abs(now() / 1000 - timestamp) <= REQUEST_WINDOW_SECONDS) return next();
    res.statusCode = 401;
    res.setHeader('X-Slack-No-Retry', '1');
    res.end();
  };
}
