import { webApi } from '@slack/bolt';
import { deliveryRejected, isRejectingStatus } from '../../src/errors.js';

/**
 * Slack's answers (chat.postMessage "Errors" in Slack's method reference) that refuse this
 * message or this recipient for good: posting it again can never succeed. Anything else
 * (`ratelimited`, `internal_error`, `fatal_error`, `service_unavailable`, `request_timeout`,
 * network errors) passes, and errors of the bot's own token or scopes (`invalid_auth`,
 * `token_revoked`, `missing_scope`, …) are a configuration problem that would fail every
 * message: those stay in the outbox until an operator fixes it, rather than all being
 * dead-lettered.
 */
const REFUSING = new Set([
  // The message itself.
  'invalid_blocks',
  'invalid_blocks_format',
  'msg_too_long',
  'msg_blocks_too_long',
  'no_text',
  'too_many_attachments',
  'invalid_arguments',
  'invalid_arg_name',
  'invalid_array_arg',
  'invalid_charset',
  'invalid_form_data',
  'invalid_post_type',
  'missing_post_type',
  'invalid_metadata_format',
  'markdown_text_conflict',
  // The recipient is gone or cannot be written to.
  'channel_not_found',
  'is_archived',
  'not_in_channel',
  'user_not_found',
  'user_disabled',
  'cannot_dm_bot',
  'messages_tab_disabled',
  'thread_not_found',
  'cannot_reply_to_message',
  'restricted_action',
]);

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Refuses, before any call, a message @slack/web-api cannot form-encode: a lone surrogate
 * in `text` makes node:querystring throw `URI malformed` from inside the client's retries
 * (where a test runner's realm even turns it into a TypeError), so it is found here.
 * `blocks` go as JSON, which escapes a lone surrogate (`\ud83d`): they encode.
 */
export function assertEncodable(message: { text: string }): void {
  if (LONE_SURROGATE.test(message.text))
    throw deliveryRejected('encoding', new URIError('lone surrogate in the message text'));
}

/**
 * The error to pass on for a failed Slack post: a `tsid_delivery_rejected` AppError when
 * Slack (or Node's form encoder, on a lone surrogate) refused the message for good, the
 * error unchanged otherwise (the outbox retries it).
 */
export function slackRejection(error: unknown): unknown {
  // @slack/web-api form-encodes with node:querystring, which throws on a lone surrogate.
  if ((error as { name?: unknown } | null)?.name === 'URIError') return deliveryRejected('encoding', error);
  const code = (error as { code?: unknown } | null)?.code;
  if (code === webApi.ErrorCode.PlatformError) {
    const platformError = (error as webApi.WebAPIPlatformError).data?.error;
    if (typeof platformError === 'string' && REFUSING.has(platformError))
      return deliveryRejected(`slack_${platformError}`, error);
  }
  if (code === webApi.ErrorCode.HTTPError) {
    const status = (error as webApi.WebAPIHTTPError).statusCode;
    if (isRejectingStatus(status)) return deliveryRejected(`http_${status}`, error);
  }
  return error;
}
