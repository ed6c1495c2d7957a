import type { TurnHandler } from '../engine/index.js';
import type { CampaignPlatform, CampaignStore } from './campaign.js';
import type { CampaignDirectory } from './campaign-plan.js';
import { CampaignRunner, type CampaignRunnerLog } from './campaign-runner.js';
import { CampaignService } from './campaign-service.js';
import { CampaignStarter, type CampaignReach } from './campaign-start.js';
import { knownConversationReach, teamsDirectory } from './teams-reach.js';

export interface CampaignPartsOptions {
  store: CampaignStore;
  /** The turns every channel uses (with `trackCampaignProgress`, so campaign customers' progress is noted). */
  turns: TurnHandler;
  steps: readonly string[];
  startSteps: readonly string[];
  doneStep: string;
  perMinute: Record<CampaignPlatform, number>;
  /** CAMPAIGN_LEASE, CAMPAIGN_WORKERS. */
  leaseMs?: number;
  workers?: number;
  slack?: { directory: CampaignDirectory; reach: CampaignReach };
  teamsTenant?: string;
  log: CampaignRunnerLog;
  onOutcome?: (campaign: string, status: string) => void;
}

export interface CampaignParts {
  service: CampaignService;
  runner: CampaignRunner;
}

/** Builds the campaign service (CLI, `/tsid campaign`) and this instance's delivery runner. */
export function createCampaignParts(options: CampaignPartsOptions): CampaignParts {
  const { store, perMinute, turns } = options;
  const service = new CampaignService({
    store,
    directories: {
      teams: teamsDirectory(options.teamsTenant),
      ...(options.slack ? { slack: options.slack.directory } : {}),
    },
    turns,
    steps: options.steps,
    startSteps: options.startSteps,
    doneStep: options.doneStep,
    platformPerMinute: perMinute,
  });
  const starter = new CampaignStarter({
    store,
    turns,
    reach: { teams: knownConversationReach(turns), ...(options.slack ? { slack: options.slack.reach } : {}) },
    freshSteps: options.steps.slice(0, 1),
  });
  const runner = new CampaignRunner({
    store,
    starter,
    intervals: { slack: Math.ceil(60_000 / perMinute.slack), teams: Math.ceil(60_000 / perMinute.teams) },
    leaseMs: options.leaseMs,
    workers: options.workers,
    log: options.log,
    onOutcome: options.onOutcome,
  });
  return { service, runner };
}
