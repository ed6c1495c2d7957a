import type { CampaignCustomer, CampaignInfo, CustomerOutcome, CustomerProgress } from './campaign.js';

const DAY_MS = 86_400_000;

/** Where a campaign stands: how many got where. */
export interface Funnel {
  total: number;
  waiting: number;
  started: number;
  already: number;
  unreachable: number;
  failed: number;
  /** Started customers that were ever at each step (guide order). */
  reached: { step: string; customers: number }[];
  done: number;
  /** Started, not done, and more than a day at the same step. */
  stuck: { step: string; customers: number }[];
  handedOff: number;
  optedOut: number;
}

export interface CampaignData {
  info: CampaignInfo;
  customers: CampaignCustomer[];
  outcomes: Map<string, CustomerOutcome>;
  progress: Map<string, CustomerProgress>;
}

export function funnelOf(data: CampaignData, steps: readonly string[], doneStep: string, now: number): Funnel {
  const count = (status: CustomerOutcome['status']) =>
    [...data.outcomes.values()].filter((outcome) => outcome.status === status).length;
  const started = data.customers.filter((customer) => data.outcomes.get(customer.id)?.status === 'started');
  const progressOf = (id: string) => data.progress.get(id) ?? { reached: {}, flags: {} };
  const stuckAt = new Map<string, number>();
  for (const customer of started) {
    const progress = progressOf(customer.id);
    if (progress.reached[doneStep] !== undefined) continue;
    const since = progress.last?.at ?? data.outcomes.get(customer.id)!.at;
    if (now - since > DAY_MS) {
      const step = progress.last?.step ?? customer.step ?? steps[0];
      stuckAt.set(step, (stuckAt.get(step) ?? 0) + 1);
    }
  }
  return {
    total: data.customers.length,
    waiting: data.customers.length - data.outcomes.size,
    started: started.length,
    already: count('already'),
    unreachable: count('unreachable'),
    failed: count('failed'),
    reached: steps.map((step) => ({
      step,
      customers: started.filter((c) => progressOf(c.id).reached[step] !== undefined).length,
    })),
    done: started.filter((c) => progressOf(c.id).reached[doneStep] !== undefined).length,
    stuck: steps.filter((step) => stuckAt.has(step)).map((step) => ({ step, customers: stuckAt.get(step)! })),
    handedOff: started.filter((c) => progressOf(c.id).flags.handoff !== undefined).length,
    optedOut: started.filter((c) => progressOf(c.id).flags.optout !== undefined).length,
  };
}

/** The funnel as the CLI and Slack print it. */
export function describeFunnel(info: CampaignInfo, funnel: Funnel): string {
  const lines = [
    `campaign ${info.name}: ${info.state}, ${info.ratePerMinute}/min, ${info.platforms.join('+')}, created ${new Date(info.createdAt).toISOString()} by ${info.createdBy}`,
    `customers       ${funnel.total}`,
    `  not yet       ${funnel.waiting}`,
    `  started       ${funnel.started}`,
    `  already in it ${funnel.already}`,
    `  unreachable   ${funnel.unreachable}`,
    `  failed        ${funnel.failed}`,
    'reached (of the started):',
    ...funnel.reached
      .filter(({ customers }) => customers > 0)
      .map(({ step, customers }) => `  ${step.padEnd(26)} ${customers}`),
    `done            ${funnel.done}`,
    `stuck > 1 day   ${funnel.stuck.reduce((sum, { customers }) => sum + customers, 0)}${funnel.stuck.map(({ step, customers }) => `\n  at ${step.padEnd(23)} ${customers}`).join('')}`,
    `handed off      ${funnel.handedOff}`,
    `opted out       ${funnel.optedOut}`,
  ];
  return lines.join('\n');
}

/** One row per customer: no e-mail, no VAT number (the customer is their platform user id). */
export function funnelCsv(data: CampaignData, doneStep: string): string {
  const iso = (ms: number | undefined) => (ms === undefined ? '' : new Date(ms).toISOString());
  const rows = ['platform,customer,outcome,step,started_at,last_step_at,done_at,handed_off_at,opted_out_at'];
  for (const customer of data.customers) {
    const outcome = data.outcomes.get(customer.id);
    const progress = data.progress.get(customer.id);
    const step = progress?.last?.step ?? (outcome?.status === 'already' ? outcome.step : '');
    rows.push(
      [
        customer.key.channel,
        customer.id,
        outcome?.status ?? 'waiting',
        step,
        iso(outcome?.status === 'started' ? outcome.at : undefined),
        iso(progress?.last?.at),
        iso(progress?.reached[doneStep]),
        iso(progress?.flags.handoff),
        iso(progress?.flags.optout),
      ].join(','),
    );
  }
  return `${rows.join('\n')}\n`;
}
