import type { TurnHandler } from '../engine/index.js';
import type { CampaignDirectory } from './campaign-plan.js';
import type { CampaignReach } from './campaign-start.js';

const NEVER_MET = 'the bot never met this Teams user (they must open the app once)';

/**
 * Teams lets a bot write first only to users it has a conversation with: the stored
 * reference of that conversation is where the guide opens. Anyone else is unreachable.
 */
export function knownConversationReach(turns: Pick<TurnHandler, 'status'>): CampaignReach {
  return {
    open: async (customer) =>
      (await turns.status(customer.key)) ? { reference: undefined } : { unreachable: NEVER_MET },
  };
}

/** Teams rows: `aadObjectId` (tenant from MicrosoftAppTenantId) or `tenant/aadObjectId`. */
export function teamsDirectory(defaultTenant: string | undefined): CampaignDirectory {
  return {
    resolve: async (row) => {
      const [tenant, user] = row.user.includes('/') ? row.user.split('/', 2) : [defaultTenant, row.user];
      if (!tenant || !user) return { unknown: 'no tenant: write tenant/aadObjectId or set MicrosoftAppTenantId' };
      return { key: { channel: 'teams', tenant, user } };
    },
  };
}
