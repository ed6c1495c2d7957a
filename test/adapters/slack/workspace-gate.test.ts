import { describe, expect, it } from '@jest/globals';
import { Refusals, type RefusalOutcome } from '../../../adapters/slack/slack-refusals.js';
import { refusalOf, requestOrigin, type Workspace } from '../../../adapters/slack/workspace-gate.js';

const WORKSPACE: Workspace = { team: 'T1', enterpriseInstall: false };
const GRID_WORKSPACE: Workspace = { team: 'T1', enterprise: 'E1', enterpriseInstall: false };
const ORG_WIDE: Workspace = { team: 'E1', enterprise: 'E1', enterpriseInstall: true };

describe('requestOrigin', () => {
  it('reads the workspace, org and acting user workspace of events, commands and clicks', () => {
    expect(
      requestOrigin({
        type: 'event_callback',
        team_id: 'T1',
        enterprise_id: 'E1',
        event: { type: 'message', team: 'T2' },
      }),
    ).toEqual({ team: 'T1', enterprise: 'E1', userTeam: 'T2' });
    expect(
      requestOrigin({ type: 'event_callback', team_id: 'T1', event: { type: 'app_mention', user_team: 'T3' } }),
    ).toEqual({ team: 'T1', enterprise: undefined, userTeam: 'T3' });
    expect(requestOrigin({ command: '/tsid', team_id: 'T1', enterprise_id: 'E1' })).toEqual({
      team: 'T1',
      enterprise: 'E1',
    });
    expect(
      requestOrigin({ type: 'block_actions', team: { id: 'T1', enterprise_id: 'E1' }, user: { team_id: 'T4' } }),
    ).toEqual({ team: 'T1', enterprise: 'E1', userTeam: 'T4' });
    // Org-wide installs send `team: null` and name the org in `enterprise`.
    expect(
      requestOrigin({ type: 'block_actions', team: null, enterprise: { id: 'E1' }, user: { team_id: 'T5' } }),
    ).toEqual({ team: undefined, enterprise: 'E1', userTeam: 'T5' });
  });
});

describe('refusalOf', () => {
  it('serves the installed workspace and refuses any other, or none named', () => {
    expect(refusalOf({ team: 'T1', userTeam: 'T1' }, WORKSPACE)).toBeUndefined();
    expect(refusalOf({ team: 'T0OTHER' }, WORKSPACE)).toBe('team');
    expect(refusalOf({}, WORKSPACE)).toBe('team');
  });

  it('refuses a user of another organisation acting in the installed workspace (Slack Connect)', () => {
    expect(refusalOf({ team: 'T1', userTeam: 'T0OTHER' }, WORKSPACE)).toBe('user-team');
    expect(refusalOf({ team: 'T1', userTeam: 'T2' }, WORKSPACE, ['T2'])).toBeUndefined();
  });

  it('in Enterprise Grid, refuses another org, and with an org-wide install serves every workspace of its org', () => {
    expect(refusalOf({ team: 'T1', enterprise: 'E1' }, GRID_WORKSPACE)).toBeUndefined();
    expect(refusalOf({ team: 'T1', enterprise: 'E2' }, GRID_WORKSPACE)).toBe('enterprise');
    expect(refusalOf({ team: 'T1', enterprise: 'E2' }, WORKSPACE)).toBe('enterprise');
    expect(refusalOf({ team: 'T7', enterprise: 'E1' }, GRID_WORKSPACE)).toBe('team');
    expect(refusalOf({ team: 'T7', enterprise: 'E1', userTeam: 'T8' }, ORG_WIDE)).toBeUndefined();
    expect(refusalOf({ enterprise: 'E1' }, ORG_WIDE)).toBeUndefined();
    expect(refusalOf({ team: 'T7', enterprise: 'E2' }, ORG_WIDE)).toBe('enterprise');
    expect(refusalOf({ team: 'T7' }, ORG_WIDE)).toBe('enterprise');
  });

  it('adds the workspaces and orgs SLACK_ALLOWED_TEAMS lists', () => {
    expect(refusalOf({ team: 'T2' }, WORKSPACE, ['T2'])).toBeUndefined();
    expect(refusalOf({ team: 'T9', enterprise: 'E9' }, WORKSPACE, ['E9'])).toBeUndefined();
    expect(refusalOf({ team: 'T3' }, WORKSPACE, ['T2', 'E9'])).toBe('team');
  });
});

describe('Refusals', () => {
  it('counts every refusal and logs at most one line per reason and minute, with the count it left out', () => {
    let now = 0;
    const lines: { fields: object; message: string }[] = [];
    const outcomes: RefusalOutcome[] = [];
    const log = (fields: object, message: string) => void lines.push({ fields, message });
    const refusals = new Refusals({
      logger: { debug: log, info: log, warn: log, error: log },
      onOutcome: (outcome) => outcomes.push(outcome),
      now: () => now,
    });
    for (let n = 0; n < 4; n++) refusals.refuse('team', 'T0OTHER');
    refusals.refuse('not-own-dm', 'T1');
    now = 59_999;
    refusals.refuse('team', 'T0OTHER');
    now = 60_000;
    refusals.refuse('team', '<bad id>');
    expect(outcomes).toHaveLength(7);
    expect(lines.map((line) => line.fields)).toEqual([
      { reason: 'team', team: 'T0OTHER' },
      { reason: 'not-own-dm', team: 'T1' },
      { reason: 'team', refusedSinceLastLine: 4 },
    ]);
  });
});
