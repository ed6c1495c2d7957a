import type { Locale } from '../../src/contract/messages.js';
import type { CompanyProblem } from './companies.js';
import { t } from './copy.js';

/**
 * The most problems one answer lists. A 2,000-character list can hold hundreds of bad
 * entries; one line each would be a message no one reads, and past Slack's and Teams'
 * size limits. The first few are enough to start fixing, the rest is a count.
 */
export const PROBLEMS_SHOWN = 5;

/** The problems as lines in `locale`: repeats once, the first few, then "… e altri N". */
export function problemLines(problems: CompanyProblem[], locale: Locale): string[] {
  const lines = [...new Set(problems.map((problem) => t(locale, problem.key, problem.params)))];
  if (lines.length <= PROBLEMS_SHOWN) return lines;
  return [...lines.slice(0, PROBLEMS_SHOWN), t(locale, 'problem.more', { count: lines.length - PROBLEMS_SHOWN })];
}
