import type { TurnHandler } from '../engine/index.js';
import { isCampaignName, type CampaignInfo, type CampaignPlatform, type CampaignStore } from './campaign.js';
import { parseCampaignCsv } from './campaign-csv.js';
import { describeFunnel, funnelCsv, funnelOf, type CampaignData, type Funnel } from './campaign-funnel.js';
import { describePlan, planCampaign, type CampaignDirectory, type CampaignPlan } from './campaign-plan.js';

export interface CampaignServiceOptions {
  store: CampaignStore;
  /** How each platform's rows are resolved; a platform without one: its rows are unknown users. */
  directories: Partial<Record<CampaignPlatform, CampaignDirectory>>;
  turns: Pick<TurnHandler, 'status'>;
  /** The guide's step ids in order; the first is where a new guide begins. */
  steps: readonly string[];
  /** Steps a new guide may open at (no company steps). */
  startSteps: readonly string[];
  /** The step that means the guide is finished. */
  doneStep: string;
  /** The platforms' ceilings in starts per minute (CAMPAIGN_SLACK_PER_MINUTE, CAMPAIGN_TEAMS_PER_MINUTE). */
  platformPerMinute: Record<CampaignPlatform, number>;
  now?: () => number;
}

export interface StartRequest {
  name: string;
  csv: string;
  /** Starts per minute asked for; capped by the platforms (default: their ceiling). */
  ratePerMinute?: number;
  dryRun?: boolean;
  /** Who started it (an agent's id, `cli:<user>`): shown in the status. */
  by: string;
}

export interface StartAnswer {
  ok: boolean;
  /** Printed as is (CLI) or shown to the agent (Slack). */
  text: string;
  plan?: CampaignPlan;
}

/** What the CLI and `/tsid campaign` do: plan and start campaigns, pause, resume, stop, report. */
export class CampaignService {
  private readonly now: () => number;

  constructor(private readonly options: CampaignServiceOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Every row validated first; a dry run (or any invalid row) changes nothing. */
  async start(
    request: StartRequest,
    directories: Partial<Record<CampaignPlatform, CampaignDirectory>> = {},
  ): Promise<StartAnswer> {
    const { store } = this.options;
    if (!isCampaignName(request.name))
      return {
        ok: false,
        text: `"${request.name.slice(0, 70)}" is not a campaign name: use a-z, 0-9, ".", "_", "-" (up to 64).`,
      };
    if (request.ratePerMinute !== undefined && !(request.ratePerMinute > 0))
      return { ok: false, text: 'The rate must be a positive number of starts per minute.' };
    if (await store.get(request.name))
      return { ok: false, text: `A campaign named ${request.name} exists already: pick another name.` };
    const parsed = parseCampaignCsv(request.csv, { startSteps: this.options.startSteps });
    const plan = await planCampaign(parsed.rows, parsed.errors, {
      directory: this.directory(directories),
      turns: this.options.turns,
      freshSteps: this.options.steps.slice(0, 1),
      unconfigured: (['slack', 'teams'] as const).filter(
        (platform) => !directories[platform] && !this.options.directories[platform],
      ),
    });
    const platforms = [...new Set(plan.customers.map((customer) => customer.key.channel as CampaignPlatform))].sort();
    const { ratePerMinute, paceLine } = this.pace(platforms, request.ratePerMinute);
    const summary = `${describePlan(plan)}\n${paceLine}`;
    const blocked =
      plan.invalid.length > 0
        ? 'fix the invalid rows first'
        : plan.customers.length === 0
          ? 'nobody to start'
          : undefined;
    if (request.dryRun)
      return {
        ok: !blocked,
        text: `dry run, nothing changed:\n${summary}${blocked ? `\nA real start would refuse: ${blocked}.` : ''}`,
        plan,
      };
    if (blocked) return { ok: false, text: `${summary}\nNothing started: ${blocked}.`, plan };
    const info: CampaignInfo = {
      name: request.name,
      state: 'running',
      ratePerMinute,
      platforms,
      createdAt: this.now(),
      createdBy: request.by,
      total: plan.customers.length,
    };
    if ((await store.create(info, plan.customers)) === 'exists')
      return { ok: false, text: `A campaign named ${request.name} exists already: pick another name.` };
    return { ok: true, text: `campaign ${request.name} started:\n${summary}`, plan };
  }

  /** The pace: the asked rate capped by the platforms' limits; with nobody to start, no number at all. */
  private pace(platforms: CampaignPlatform[], asked: number | undefined): { ratePerMinute: number; paceLine: string } {
    if (platforms.length === 0) return { ratePerMinute: asked ?? 0, paceLine: 'pace: none (nobody to start)' };
    const ceiling = Math.min(...platforms.map((platform) => this.options.platformPerMinute[platform]));
    const ratePerMinute = Math.min(asked ?? ceiling, ceiling);
    const capped = asked !== undefined && asked > ceiling ? ` (asked ${asked}, capped by the platform limit)` : '';
    return { ratePerMinute, paceLine: `pace: ${ratePerMinute} starts/min${capped}` };
  }

  /** Rows go to their platform's directory (the request's own first: a Slack command knows its workspace). */
  private directory(overrides: Partial<Record<CampaignPlatform, CampaignDirectory>>): CampaignDirectory {
    return {
      resolve: (row) => {
        const directory = overrides[row.platform] ?? this.options.directories[row.platform];
        return directory ? directory.resolve(row) : Promise.resolve({ unknown: `${row.platform} is not configured` });
      },
    };
  }

  /** pause, resume or stop; the answer says what happened. */
  async control(name: string, action: 'pause' | 'resume' | 'stop'): Promise<StartAnswer> {
    const state = ({ pause: 'paused', resume: 'running', stop: 'stopped' } as const)[action];
    const changed = await this.options.store.setState(name, state);
    if (changed) return { ok: true, text: `campaign ${name}: ${state}` };
    const info = await this.options.store.get(name);
    return {
      ok: false,
      text: info ? `campaign ${name} is ${info.state}: cannot ${action} it.` : `No campaign named ${name}.`,
    };
  }

  async funnel(name: string): Promise<{ data: CampaignData; funnel: Funnel } | undefined> {
    const { store } = this.options;
    const info = await store.get(name);
    if (!info) return undefined;
    const [customers, outcomes, progress] = await Promise.all([
      store.customers(name),
      store.outcomes(name),
      store.progress(name),
    ]);
    const data = { info, customers, outcomes, progress };
    return { data, funnel: funnelOf(data, this.options.steps, this.options.doneStep, this.now()) };
  }

  async status(name: string, format: 'text' | 'csv' = 'text'): Promise<StartAnswer> {
    const found = await this.funnel(name);
    if (!found) return { ok: false, text: `No campaign named ${name}.` };
    return {
      ok: true,
      text:
        format === 'csv' ? funnelCsv(found.data, this.options.doneStep) : describeFunnel(found.data.info, found.funnel),
    };
  }

  /** Every campaign's name, newest first. */
  names(): Promise<string[]> {
    return this.options.store.list();
  }

  /** Every campaign, newest first, one line each. */
  async list(): Promise<StartAnswer> {
    const names = await this.options.store.list();
    const infos = (await Promise.all(names.map((name) => this.options.store.get(name)))).filter(
      (info) => info !== undefined,
    );
    if (infos.length === 0) return { ok: true, text: 'No campaigns.' };
    return {
      ok: true,
      text: infos
        .map((info) => `${info.name}  ${info.state}  ${info.total} customers  ${info.ratePerMinute}/min`)
        .join('\n'),
    };
  }
}

/** The newest campaigns' funnels as flat numbers, for /metrics. */
export async function campaignStages(
  service: CampaignService,
  newest: number,
): Promise<{ campaign: string; stage: string; customers: number }[]> {
  const names = (await service.names()).slice(0, newest);
  const stages: { campaign: string; stage: string; customers: number }[] = [];
  for (const name of names) {
    const found = await service.funnel(name);
    if (!found) continue;
    const { funnel } = found;
    const stuck = funnel.stuck.reduce((sum, { customers }) => sum + customers, 0);
    const values = {
      waiting: funnel.waiting,
      started: funnel.started,
      already: funnel.already,
      unreachable: funnel.unreachable,
      failed: funnel.failed,
      done: funnel.done,
      stuck,
      handed_off: funnel.handedOff,
      opted_out: funnel.optedOut,
    };
    for (const [stage, customers] of Object.entries(values)) stages.push({ campaign: name, stage, customers });
  }
  return stages;
}
