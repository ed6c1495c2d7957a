/**
 * Campaigns: start the guide for many customers at once, at the pace the platforms
 * allow, each exactly once, and follow them through the guide. Adapters supply a
 * `CampaignDirectory` and a `CampaignReach`; every instance runs a `CampaignRunner`.
 * @packageDocumentation
 */
export {
  isCampaignName,
  type CampaignCustomer,
  type CampaignInfo,
  type CampaignPlatform,
  type CampaignStore,
  type CustomerOutcome,
  type PlatformIntervals,
} from './campaign.js';
export { parseCampaignCsv, EMAIL, SLACK_USER, type CampaignRow } from './campaign-csv.js';
export { describePlan, planCampaign, type CampaignDirectory, type CampaignPlan } from './campaign-plan.js';
export { CampaignRateLimited, CampaignStarter, type CampaignReach } from './campaign-start.js';
export { CampaignRunner, type CampaignRunnerOptions } from './campaign-runner.js';
export { CampaignService, campaignStages, type StartAnswer, type StartRequest } from './campaign-service.js';
export { trackCampaignProgress } from './campaign-progress.js';
export { knownConversationReach, teamsDirectory } from './teams-reach.js';
export { createCampaignParts, type CampaignParts, type CampaignPartsOptions } from './campaign-wiring.js';
export { funnelOf, type Funnel } from './campaign-funnel.js';
