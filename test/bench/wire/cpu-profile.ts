import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a function lives: a package under node_modules, a project folder, a Node module, or a native function. */
function placeOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const own = /\/(src\/[^/]+|adapters\/[^/]+|flows\/[^/]+|test\/[^/]+)\//.exec(url);
  if (own) return own[1];
  if (url.startsWith('node:'))
    return `node:${
      url
        .slice(5)
        .replace(/^internal\//, '')
        .split('/')[0]
    }`;
  return url ? 'other' : `native ${functionName || '(anonymous)'}`;
}

/** Self time by place, from the .cpuprofile files in `dir`: where the bot's CPU goes. */
export function summariseProfiles(dir: string): string[] {
  const byPlace = new Map<string, number>();
  let total = 0;
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile;
    const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
    profile.samples.forEach((id, index) => {
      const frame = nodes.get(id)!.callFrame;
      if (frame.functionName === '(idle)') return;
      const place = placeOf(frame);
      const micros = profile.timeDeltas[index] ?? 0;
      byPlace.set(place, (byPlace.get(place) ?? 0) + micros);
      total += micros;
    });
  }
  const top = [...byPlace].sort((a, b) => b[1] - a[1]).slice(0, 20);
  return [
    '# where our bot spends its CPU (self time, --cpu-prof, all rounds):',
    ...top.map(([place, micros]) => `  ${((100 * micros) / total).toFixed(1).padStart(5)}%  ${place}`),
  ];
}
