import type { CampaignService } from '../../src/campaign/index.js';
import type { HandoffService, HelpdeskActor } from '../../src/handoff/index.js';
import { slackDirectory } from './campaign-slack.js';
import type { webApi } from '@slack/bolt';

/** `/tsid campaign …` as an agent typed it. */
export type CampaignCommand =
  | { verb: 'start'; name: string; rate?: number; dryRun: boolean; csv: string }
  | { verb: 'status'; name: string }
  | { verb: 'pause' | 'resume' | 'stop'; name: string }
  | { verb: 'list' }
  | { verb: 'help' };

export const CAMPAIGN_HELP = [
  '`/tsid campaign start NAME [--rate N] [--dry-run]` then the CSV rows (`platform,user,locale,step`), pasted after it',
  '`/tsid campaign status NAME` · `pause NAME` · `resume NAME` · `stop NAME` · `list`',
].join('\n');

type Obj = Record<string, unknown>;

/**
 * Parses `/tsid campaign …`; undefined when the command is something else. Slack encodes
 * pasted e-mails as `<mailto:a@b.it|a@b.it>` and users as `<@U1|name>`: both are unwrapped.
 */
export function fromCampaignCommand(body: unknown): CampaignCommand | undefined {
  const text = typeof (body as Obj)?.text === 'string' ? ((body as Obj).text as string) : '';
  const words = unwrap(text).trim().split(/\s+/);
  if (words[0]?.toLowerCase() !== 'campaign') return undefined;
  const verb = (words[1] ?? 'help').toLowerCase();
  const name = words[2] ?? '';
  if (verb === 'list') return { verb };
  if ((verb === 'status' || verb === 'pause' || verb === 'resume' || verb === 'stop') && name) return { verb, name };
  if (verb !== 'start' || !name) return { verb: 'help' };
  const rest = words.slice(3);
  const rateAt = rest.indexOf('--rate');
  const rate = rateAt >= 0 ? Number.parseFloat(rest[rateAt + 1] ?? '') : undefined;
  const rows = rest.filter(
    (word, i) => word !== '--dry-run' && word !== '--rate' && !(rateAt >= 0 && i === rateAt + 1),
  );
  return {
    verb,
    name,
    dryRun: rest.includes('--dry-run'),
    csv: rows.join('\n'),
    ...(rate !== undefined ? { rate } : {}),
  };
}

function unwrap(text: string): string {
  return text
    .replace(/<mailto:[^|>]+\|([^>]+)>/g, '$1')
    .replace(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g, '$1')
    .replace(/&amp;/g, '&');
}

export interface CampaignCommandDeps {
  campaigns: CampaignService;
  handoff: HandoffService;
  client: webApi.WebClient;
}

/** Runs a campaign command for an agent (authorised like hand-off actions); the answer is for them only. */
export async function runCampaignCommand(
  deps: CampaignCommandDeps,
  command: CampaignCommand,
  actor: HelpdeskActor,
  team: string,
): Promise<string> {
  if (!(await deps.handoff.isAgent(actor))) return 'Only helpdesk agents can run campaigns.';
  const { campaigns } = deps;
  switch (command.verb) {
    case 'help':
      return CAMPAIGN_HELP;
    case 'list':
      return (await campaigns.list()).text;
    case 'status':
      return (await campaigns.status(command.name)).text;
    case 'pause':
    case 'resume':
    case 'stop':
      return (await campaigns.control(command.name, command.verb)).text;
    case 'start': {
      const answer = await campaigns.start(
        {
          name: command.name,
          csv: command.csv,
          ratePerMinute: command.rate,
          dryRun: command.dryRun,
          by: `slack:${actor.id}`,
        },
        { slack: slackDirectory(deps.client, async () => team) },
      );
      return answer.text;
    }
  }
}

/**
 * The `/tsid campaign …` listener: true when the command was a campaign command (answered,
 * to the agent only), false for any other `/tsid` command. Who acts is the signed command's user.
 */
export async function handleCampaignCommand(
  deps: Omit<CampaignCommandDeps, 'campaigns'> & {
    campaigns?: () => CampaignService | undefined;
    onError: (error: unknown) => void;
  },
  body: unknown,
  respond: (text: string) => Promise<unknown>,
): Promise<boolean> {
  const command = fromCampaignCommand(body);
  const campaigns = deps.campaigns?.();
  if (!command) return false;
  const fields = body as Obj;
  const id = typeof fields.user_id === 'string' ? fields.user_id : '';
  const team = typeof fields.team_id === 'string' ? fields.team_id : '';
  let answer: string;
  try {
    const actor: HelpdeskActor = {
      platform: 'slack',
      id,
      name: typeof fields.user_name === 'string' ? fields.user_name : id,
    };
    answer =
      campaigns && team
        ? await runCampaignCommand({ ...deps, campaigns }, command, actor, team)
        : 'Campaigns need Redis (REDIS_URL): they are off on this deployment.';
  } catch (error) {
    deps.onError(error);
    answer = 'That did not work: please try again in a minute.';
  }
  await respond(answer).catch(deps.onError);
  return true;
}
