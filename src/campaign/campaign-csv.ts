import type { Locale } from '../engine/index.js';
import type { CampaignPlatform } from './campaign.js';

/** One CSV row as written: `platform,user,locale,step` (locale and step optional). */
export interface CampaignRow {
  /** 1-based line number in the file, for error messages. */
  line: number;
  platform: CampaignPlatform;
  /** Slack user id, Slack e-mail, or Teams AAD object id (optionally `tenant/aadObjectId`). */
  user: string;
  locale?: Locale;
  step?: string;
}

export interface ParsedCsv {
  rows: CampaignRow[];
  /** `line N: why` — never the e-mail itself. */
  errors: string[];
}

export interface CsvRules {
  /** Steps a new guide may open at. */
  startSteps: readonly string[];
}

/**
 * Reads and validates a campaign CSV. A first line starting with `platform` is a header;
 * blank lines and `#` comments are skipped. Fields are plain (no quoting: none of them
 * can contain a comma).
 */
export function parseCampaignCsv(text: string, rules: CsvRules): ParsedCsv {
  const rows: CampaignRow[] = [];
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const fields = raw.split(',').map((field) => field.trim());
    if (!raw.trim() || raw.trim().startsWith('#')) return;
    if (index === 0 && fields[0]?.toLowerCase() === 'platform') return;
    const problem = rowProblem(fields, rules);
    if (problem) errors.push(`line ${line}: ${problem}`);
    else rows.push(toRow(line, fields));
  });
  return { rows, errors };
}

function rowProblem(fields: string[], rules: CsvRules): string | undefined {
  const [platform = '', user = '', locale = '', step = ''] = fields;
  if (fields.length > 4) return 'too many fields (platform,user,locale,step)';
  if (platform !== 'slack' && platform !== 'teams')
    return `platform must be slack or teams, not "${platform.slice(0, 20)}"`;
  if (!user) return 'the user is missing';
  if (platform === 'slack' && !SLACK_USER.test(user) && !EMAIL.test(user))
    return 'a Slack user is a user id (U…/W…) or an e-mail address';
  if (platform === 'teams' && !TEAMS_USER.test(user)) return 'a Teams user is an AAD object id (or tenant/object id)';
  if (locale && locale !== 'it' && locale !== 'en') return `locale must be it or en, not "${locale.slice(0, 10)}"`;
  if (step && !rules.startSteps.includes(step)) return `"${step.slice(0, 40)}" is not a step a new guide can open at`;
  return undefined;
}

function toRow(line: number, [platform, user, locale, step]: string[]): CampaignRow {
  return {
    line,
    platform: platform as CampaignPlatform,
    user: user,
    ...(locale ? { locale: locale as Locale } : {}),
    ...(step ? { step } : {}),
  };
}

export const SLACK_USER = /^[UW][A-Z0-9]{2,}$/;
export const EMAIL = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;
const TEAMS_USER = /^(?:[0-9A-Za-z.-]{3,}\/)?[0-9A-Za-z:_-]{3,}$/;
