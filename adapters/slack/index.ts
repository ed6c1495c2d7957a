/**
 * The Slack channel: Bolt on `POST /slack/events` (or Socket Mode), the guide in the DM.
 * main.ts: `const slack = createSlackChannel({...})`, build the engine with
 * `deliver: slack.deliver` (routing helpdesk messages elsewhere), then `slack.attach(engine)`.
 * @packageDocumentation
 */
export { createSlackChannel, SLACK_EVENTS_PATH, type SlackChannel, type SlackChannelOptions } from './slack-channel.js';
export { holdSlackAck } from './holding-receiver.js';
export type { SlackOutcome } from './slack-listeners.js';
export type { SlackLogger } from './slack-logger.js';
export { asSlackReference, type SlackReference } from './slack-sender.js';
export { createSlackDirectory } from './campaign-slack.js';
