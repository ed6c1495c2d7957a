import { webApi } from '@slack/bolt';
import { CampaignRateLimited, EMAIL, type CampaignDirectory, type CampaignReach } from '../../src/campaign/index.js';
import type { SlackSender } from './slack-sender.js';
import type { UserLocales } from './user-locale.js';

/** Slack errors that mean "this person cannot get a DM from the bot". */
const UNREACHABLE = new Set([
  'user_not_found',
  'user_disabled',
  'account_inactive',
  'cannot_dm_bot',
  'user_not_visible',
  'restricted_action',
]);

/**
 * Slack rows: a user id as is, an e-mail through `users.lookupByEmail` (scope
 * `users:read.email`). `team` is the workspace (the command's, or the token's from auth.test).
 */
export function slackDirectory(client: webApi.WebClient, team: () => Promise<string>): CampaignDirectory {
  return {
    resolve: async (row) => {
      if (!EMAIL.test(row.user)) return { key: { channel: 'slack', tenant: await team(), user: row.user } };
      try {
        const found = await client.users.lookupByEmail({ email: row.user });
        const id = found.user?.id;
        return id && !found.user?.deleted
          ? { key: { channel: 'slack', tenant: await team(), user: id } }
          : { unknown: 'no active Slack user has this e-mail' };
      } catch (error) {
        if (slackError(error) === 'users_not_found') return { unknown: 'no Slack user has this e-mail' };
        throw error;
      }
    },
  };
}

/** Opens the customer's DM (conversations.open); a 429 becomes a pause of the whole Slack pace. */
export function slackReach(sender: SlackSender, locales: UserLocales): CampaignReach {
  return {
    open: async (customer) => {
      const { tenant: team, user } = customer.key;
      try {
        const channel = await sender.openDm(team, user);
        return { reference: { channel, team }, locale: customer.locale ?? (await locales.get(team, user)) };
      } catch (error) {
        if ((error as webApi.WebAPIRateLimitedError).code === webApi.ErrorCode.RateLimitedError) {
          throw new CampaignRateLimited((error as webApi.WebAPIRateLimitedError).retryAfter * 1000);
        }
        const code = slackError(error);
        if (code && UNREACHABLE.has(code)) return { unreachable: `Slack: ${code}` };
        throw error;
      }
    },
  };
}

/** The workspace of a bot token, asked once. */
export function tokenTeam(client: webApi.WebClient): () => Promise<string> {
  let team: Promise<string> | undefined;
  return () => {
    team ??= client.auth.test().then((answer) => String(answer.team_id ?? ''));
    team.catch(() => (team = undefined));
    return team;
  };
}

function slackError(error: unknown): string | undefined {
  return (error as webApi.WebAPIPlatformError).data?.error;
}

/** A directory on its own Web API client (the campaign CLI, which runs no Bolt app). */
export function createSlackDirectory(botToken: string, apiUrl?: string): CampaignDirectory {
  const client = new webApi.WebClient(botToken, {
    slackApiUrl: apiUrl ? `${apiUrl.replace(/\/$/, '')}/` : undefined,
    retryConfig: { retries: 3 },
  });
  return slackDirectory(client, tokenTeam(client));
}
