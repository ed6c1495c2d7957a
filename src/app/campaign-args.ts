/**
 * The campaign CLI's arguments, read before anything connects: help and usage mistakes are
 * answered at once, without Redis, and a mistake names what is missing or wrong.
 */
export type CampaignRequest =
  | { kind: 'help' }
  | { kind: 'mistake'; problem: string }
  | { kind: 'start'; name: string; file: string; ratePerMinute?: number; dryRun: boolean }
  | { kind: 'status'; name: string; csv: boolean }
  | { kind: 'control'; action: 'pause' | 'resume' | 'stop'; name: string }
  | { kind: 'list' }
  | { kind: 'dead-letters'; args: string[] };

const HELP_WORDS = ['help', '--help', '-h'];
const OPTIONS: Record<string, { values: string[]; flags: string[] }> = {
  start: { values: ['--name', '--file', '--rate'], flags: ['--dry-run'] },
  status: { values: [], flags: ['--csv'] },
  pause: { values: [], flags: [] },
  resume: { values: [], flags: [] },
  stop: { values: [], flags: [] },
  list: { values: [], flags: [] },
};

export function parseCampaignArgs(args: string[]): CampaignRequest {
  const [verb, ...rest] = args;
  if (verb === undefined)
    return { kind: 'mistake', problem: 'Say what to do: start, status, pause, resume, stop, list.' };
  if (HELP_WORDS.includes(verb) || rest.some((word) => HELP_WORDS.includes(word))) return { kind: 'help' };
  if (verb === 'dead-letters') return { kind: 'dead-letters', args: rest };
  const known = OPTIONS[verb];
  if (!known) return { kind: 'mistake', problem: `"${verb.slice(0, 40)}" is not a command.` };
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const words: string[] = [];
  for (let index = 0; index < rest.length; index++) {
    const word = rest[index];
    if (known.values.includes(word)) {
      const value = rest[index + 1];
      if (value === undefined || value.startsWith('--')) return mistake(`${word} needs a value.`);
      values.set(word, value);
      index++;
    } else if (known.flags.includes(word)) flags.add(word);
    else if (word.startsWith('-')) return mistake(`${verb} has no option ${word.slice(0, 40)}.`);
    else words.push(word);
  }
  if (verb === 'start') return start(values, flags, words);
  if (verb === 'list') return words.length === 0 ? { kind: 'list' } : mistake('list takes no name.');
  const name = words[0];
  if (!name) return mistake(`${verb} needs the campaign's name: npm run campaign -- ${verb} NAME.`);
  if (verb === 'status') return { kind: 'status', name, csv: flags.has('--csv') };
  return { kind: 'control', action: verb as 'pause' | 'resume' | 'stop', name };
}

function start(values: Map<string, string>, flags: Set<string>, words: string[]): CampaignRequest {
  const missing = ['--name', '--file'].filter((option) => !values.has(option));
  if (missing.length > 0) {
    const what = missing.map((option) => (option === '--name' ? '--name NAME' : '--file customers.csv'));
    return mistake(`start needs ${what.join(' and ')}.`);
  }
  if (words.length > 0)
    return mistake(`start does not take "${words[0].slice(0, 40)}": give it with --name or --file.`);
  const rate = values.get('--rate');
  const ratePerMinute = rate === undefined ? undefined : Number(rate.replace(/\/min$/, ''));
  if (ratePerMinute !== undefined && !(ratePerMinute > 0 && Number.isFinite(ratePerMinute))) {
    return mistake(
      `--rate must be a number of starts per minute above 0, like 30 or 30/min (got "${rate!.slice(0, 20)}").`,
    );
  }
  return {
    kind: 'start',
    name: values.get('--name')!,
    file: values.get('--file')!,
    ...(ratePerMinute !== undefined ? { ratePerMinute } : {}),
    dryRun: flags.has('--dry-run'),
  };
}

function mistake(problem: string): CampaignRequest {
  return { kind: 'mistake', problem };
}
