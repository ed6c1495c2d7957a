import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The largest body the bot reads from Slack: 1 MiB, not Bolt's 4 MiB. The bot opens no modals,
 * so its largest requests are a block_actions click, which carries the clicked message (at most
 * 50 blocks of 3,000 characters plus a 40,000-character `text`, form-encoded: about 0.3 MB for
 * Italian text, test/adapters/slack/slack-body-limit.test.ts), and a message event (text up
 * to 40,000 characters, also in its rich_text blocks: about 0.1 MB).
 */
export const SLACK_BODY_LIMIT_BYTES = 1024 * 1024;

const SIGNATURE = /^v0=[0-9a-f]{64}$/;

/**
 * Runs before Bolt reads the body: a request with no well-formed `X-Slack-Signature` is
 * refused (401) and one that declares a body over the limit is refused (413), both without
 * reading a byte of it. Bolt then reads at most `SLACK_BODY_LIMIT_BYTES` (a chunked body
 * that grows past it is cut with 413) and checks the signature as soon as the body is in.
 */
export function requestSize(limitBytes = SLACK_BODY_LIMIT_BYTES) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    const signature = req.headers['x-slack-signature'];
    const declared = Number(req.headers['content-length'] ?? 0);
    const status = typeof signature !== 'string' || !SIGNATURE.test(signature) ? 401 : declared > limitBytes ? 413 : 0;
    if (status === 0) return next();
    res.statusCode = status;
    res.setHeader('X-Slack-No-Retry', '1');
    // The body was not read: close rather than keep a socket with unread bytes in it.
    res.setHeader('Connection', 'close');
    res.end();
  };
}
