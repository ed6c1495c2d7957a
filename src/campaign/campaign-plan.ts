import { conversationId, type ConversationKey, type TurnHandler } from '../engine/index.js';
import type { CampaignCustomer } from './campaign.js';
import type { CampaignRow } from './campaign-csv.js';

/** Turns a row's user into a conversation key (Slack: id or e-mail; Teams: AAD object id). */
export interface CampaignDirectory {
  resolve(row: CampaignRow): Promise<{ key: ConversationKey } | { unknown: string }>;
}

/** What a campaign would do, row by row; printed by the dry run and by a real start. */
export interface CampaignPlan {
  /** Everyone the campaign will try, in file order, each once. */
  customers: CampaignCustomer[];
  invalid: string[];
  /** `line N: why` for users that could not be resolved (no e-mail printed). */
  unknown: string[];
  /** `line N: same customer as line M`. */
  duplicates: string[];
  /** Rows of a platform this bot has no configuration for, by platform: said once, not per row. */
  unconfigured: Partial<Record<string, number[]>>;
  /** Already in the guide past its first step: will be counted, not restarted. */
  already: { line: number; step: string }[];
  /** Teams users the bot never met: will be reported unreachable. */
  unreachable: number[];
}

export interface PlanOptions {
  directory: CampaignDirectory;
  turns: Pick<TurnHandler, 'status'>;
  /** Steps at which a customer has not really begun (the first step): they are started again. */
  freshSteps: readonly string[];
  /** Platforms this bot cannot reach (no token): their rows are counted under `unconfigured`. */
  unconfigured?: readonly string[];
}

/** Resolves every row, drops repeats, and looks up who is already in the guide. Changes nothing. */
export async function planCampaign(
  rows: CampaignRow[],
  invalid: string[],
  options: PlanOptions,
): Promise<CampaignPlan> {
  const plan: CampaignPlan = {
    customers: [],
    invalid,
    unknown: [],
    duplicates: [],
    unconfigured: {},
    already: [],
    unreachable: [],
  };
  const firstLine = new Map<string, number>();
  for (const row of rows) {
    // The same row twice is a duplicate whether or not its user can be resolved.
    const written = `${row.platform}:${row.user.trim().toLowerCase()}`;
    const repeated = firstLine.get(written);
    if (repeated !== undefined) {
      plan.duplicates.push(`line ${row.line}: same customer as line ${repeated}`);
      continue;
    }
    firstLine.set(written, row.line);
    if (options.unconfigured?.includes(row.platform)) {
      (plan.unconfigured[row.platform] ??= []).push(row.line);
      continue;
    }
    const resolved = await options.directory.resolve(row);
    if ('unknown' in resolved) {
      plan.unknown.push(`line ${row.line}: ${resolved.unknown}`);
      continue;
    }
    const id = conversationId(resolved.key);
    const seen = firstLine.get(id);
    if (seen !== undefined) {
      plan.duplicates.push(`line ${row.line}: same customer as line ${seen}`);
      continue;
    }
    firstLine.set(id, row.line);
    plan.customers.push({
      id,
      key: resolved.key,
      ...(row.locale ? { locale: row.locale } : {}),
      ...(row.step ? { step: row.step } : {}),
    });
    const status = await options.turns.status(resolved.key);
    if (status && !options.freshSteps.includes(status.step)) plan.already.push({ line: row.line, step: status.step });
    else if (!status && resolved.key.channel === 'teams') plan.unreachable.push(row.line);
  }
  return plan;
}

const PLATFORM_NAMES: Record<string, string> = { slack: 'Slack', teams: 'Teams' };
const PLATFORM_SETTINGS: Record<string, string> = { slack: 'set SLACK_BOT_TOKEN', teams: 'set MicrosoftAppId' };

/** The plan in a few lines, for the CLI and Slack. */
export function describePlan(plan: CampaignPlan): string {
  const started = plan.customers.length - plan.already.length - plan.unreachable.length;
  const unconfigured = Object.entries(plan.unconfigured);
  const notConfigured = unconfigured.reduce((total, [, lines]) => total + (lines?.length ?? 0), 0);
  const lines = [
    `customers: ${plan.customers.length} (to start: ${started}, already in the guide: ${plan.already.length}, unreachable: ${plan.unreachable.length})`,
    `rows skipped: ${plan.invalid.length} invalid, ${plan.unknown.length} unknown users, ${plan.duplicates.length} duplicates` +
      (notConfigured > 0 ? `, ${notConfigured} for a platform not configured` : ''),
    // Said once per platform, not once per row.
    ...unconfigured.map(
      ([platform, rows]) =>
        `${PLATFORM_NAMES[platform] ?? platform} is not configured on this bot (${PLATFORM_SETTINGS[platform] ?? 'see the README'}): its ${rows!.length} row(s) were skipped`,
    ),
  ];
  const detail = (title: string, items: string[]) => {
    if (items.length === 0) return;
    lines.push(`${title}:`, ...items.slice(0, 20).map((item) => `  ${item}`));
    if (items.length > 20) lines.push(`  … and ${items.length - 20} more`);
  };
  detail('invalid', plan.invalid);
  detail('unknown users', plan.unknown);
  detail('duplicates', plan.duplicates);
  detail(
    'already in the guide',
    plan.already.map(({ line, step }) => `line ${line}: at ${step}`),
  );
  detail(
    'unreachable (Teams users the bot never met: they must open the app once)',
    plan.unreachable.map((line) => `line ${line}`),
  );
  return lines.join('\n');
}
