import type { TeamsLog } from './teams-log.js';

/**
 * One log line per kind of refused request per minute at most: a flood of forged tokens
 * must not become a flood of log lines. The line after a quiet minute carries how many
 * refusals of that kind were not logged (`unlogged`).
 */
export function refusalLog(log: TeamsLog, windowMs = 60_000, now: () => number = Date.now) {
  const last = new Map<string, { at: number; unlogged: number }>();
  return (code: 'tsid_request_forged' | 'tsid_auth_unavailable', status: number): void => {
    const entry = last.get(code);
    if (entry && now() - entry.at < windowMs) {
      entry.unlogged += 1;
      return;
    }
    log.warn({ channel: 'teams', code, status, unlogged: entry?.unlogged ?? 0 }, 'Teams request refused');
    last.set(code, { at: now(), unlogged: 0 });
  };
}
