import type { AnyMiddlewareArgs, Middleware, webApi } from '@slack/bolt';
import { AppError } from '../../src/errors.js';
import type { RefusalReason, Refusals } from './slack-refusals.js';

/** The workspace (or Enterprise Grid org) the bot token was installed in, from `auth.test`. */
export interface Workspace {
  team: string;
  enterprise?: string;
  /** An org-wide install: every workspace of `enterprise` is the bot's. */
  enterpriseInstall: boolean;
}

/** Who a request says it comes from: the workspace, its Grid org, and the acting user's own workspace. */
export interface RequestOrigin {
  team?: string;
  enterprise?: string;
  /** Differs from `team` for a user of another organisation in a shared (Slack Connect) channel. */
  userTeam?: string;
}

type Obj = Record<string, unknown>;
const obj = (value: unknown): Obj => (value !== null && typeof value === 'object' ? (value as Obj) : {});
const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** What `auth.test` says of a bot token: the bot's own ids and the workspace it was installed in. */
export interface InstalledBot {
  botId?: string;
  botUserId?: string;
  workspace: Workspace;
}

/** Asks Slack (`auth.test`) whom the token belongs to; rejects when Slack refuses it or names no workspace. */
export async function fetchInstalledBot(client: webApi.WebClient, token: string): Promise<InstalledBot> {
  const answer = await client.auth.test({ token });
  const team = str(answer.team_id);
  if (!team) throw new AppError('tsid_config_invalid', 'auth.test named no workspace (team_id)');
  const workspace = {
    team,
    enterprise: str(answer.enterprise_id),
    enterpriseInstall: answer.is_enterprise_install === true,
  };
  return { botId: str(answer.bot_id), botUserId: str(answer.user_id), workspace };
}

/** The origin of an Events API envelope, a slash command or an interactivity payload. */
export function requestOrigin(body: unknown): RequestOrigin {
  const payload = obj(body);
  if (payload.type === 'event_callback') {
    const event = obj(payload.event);
    // Message events name the poster's workspace in `team`, mentions in `user_team`.
    const userTeam = str(event.user_team) ?? str(event.team);
    return { team: str(payload.team_id), enterprise: str(payload.enterprise_id), userTeam };
  }
  if (typeof payload.command === 'string')
    return { team: str(payload.team_id), enterprise: str(payload.enterprise_id) };
  const team = obj(payload.team);
  const enterprise = str(obj(payload.enterprise).id) ?? str(team.enterprise_id);
  return { team: str(team.id) ?? str(payload.team_id), enterprise, userTeam: str(obj(payload.user).team_id) };
}

/**
 * Why a request is not the installed workspace's, or undefined when it is. `allowedTeams`
 * (SLACK_ALLOWED_TEAMS) adds workspaces (`T…`) or whole Grid orgs (`E…`).
 */
export function refusalOf(
  origin: RequestOrigin,
  installed: Workspace,
  allowedTeams: readonly string[] = [],
): RefusalReason | undefined {
  const listed = (id: string | undefined) => id !== undefined && allowedTeams.includes(id);
  const orgOf = (id: string | undefined) => id !== undefined && id === installed.enterprise;
  if (!listed(origin.team) && !listed(origin.enterprise)) {
    if (installed.enterpriseInstall) {
      if (!orgOf(origin.enterprise)) return 'enterprise';
    } else {
      if (origin.team !== installed.team) return 'team';
      // A Grid workspace's requests name its org; any other org named is not this install.
      if (origin.enterprise !== undefined && !orgOf(origin.enterprise)) return 'enterprise';
    }
  }
  // Slack Connect: a user of another organisation acting in a shared channel. With an org-wide
  // install a user's own workspace may be any of the org's, which the payload cannot tell apart.
  const user = origin.userTeam;
  if (user !== undefined && user !== installed.team && !listed(user) && !installed.enterpriseInstall)
    return 'user-team';
  return undefined;
}

/**
 * Bolt global middleware: a request from anywhere but the installed workspace is acknowledged
 * (200, so Slack does not retry), counted and logged, and reaches no listener. Until `installed()`
 * knows the workspace (start), nothing is let through.
 */
export function workspaceGate(
  installed: () => Workspace | undefined,
  allowedTeams: readonly string[],
  refusals: Refusals,
): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const origin = requestOrigin(args.body);
    const workspace = installed();
    const reason = workspace ? refusalOf(origin, workspace, allowedTeams) : 'team';
    if (!reason) return args.next();
    // Events are acknowledged by Bolt before any middleware; commands and clicks wait for this.
    if ('ack' in args && typeof args.ack === 'function') await args.ack();
    refusals.refuse(reason, origin.team ?? origin.enterprise);
  };
}
