/**
 * The Microsoft Teams channel (botbuilder). The only folder that imports botbuilder, so a
 * move to its successor (Microsoft 365 Agents SDK, same protocol) stays in here.
 * @packageDocumentation
 */
export {
  createTeamsChannel,
  TEAMS_MESSAGES_PATH,
  type TeamsChannel,
  type TeamsChannelOptions,
} from './teams-channel.js';
export type { TeamsLog } from './teams-log.js';
export type { RetryOptions } from './deliver-retry.js';
export type { TeamsAuthOptions, TeamsCredentials } from './teams-auth.js';
