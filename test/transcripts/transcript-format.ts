import { parseDuration } from '../../src/scheduler/clock.js';
import { hashLoginCode } from '../../src/contract/login-code.js';
import type { InboundEvent, Locale } from '../../src/engine/index.js';

/** One line of a transcript, parsed. The format is described in test/transcripts/README.md. */
export type TranscriptLine =
  | { kind: 'say'; text: string; line: number }
  | { kind: 'click'; label: string; line: number }
  | { kind: 'wait'; ms: number; line: number }
  | { kind: 'event'; event: InboundEvent; line: number }
  | { kind: 'step'; step: string; line: number }
  | { kind: 'expect'; audience: 'customer' | 'helpdesk'; text: string; choices?: string[]; links: string[]; line: number };

export interface Transcript {
  name: string;
  locale?: Locale;
  /** `@login`: the deployment has OIDC login links (else the e-mail is typed). */
  login: boolean;
  /** `@helpdesk slack|teams`: where the helpdesk is (default: the customer's own platform). */
  helpdesk?: 'slack' | 'teams';
  lines: TranscriptLine[];
}

const ISSUER = 'https://id.teamsystem.test';

/** Turns `! …` lines into the events the runtime would send. */
function parseEvent(body: string, line: number): InboundEvent {
  const words = body.split(/\s+/);
  const fail = () => new Error(`line ${line}: unknown event "! ${body}"`);
  switch (words[0]) {
    case 'login':
    case 'login-unverified':
      // `! login a@b.it 654321`: the browser page showed that code (default 123456).
      return {
        type: 'auth.completed',
        issuer: ISSUER,
        subject: `sub-${words[1]}`,
        email: words[1] ?? '',
        emailVerified: words[0] === 'login',
        code: hashLoginCode(words[2] ?? '123456', 'transcript'),
      };
    case 'login-failed':
      return { type: 'auth.failed', reason: 'sign_in_failed' };
    case 'login-unavailable':
      return { type: 'auth.failed', reason: 'provider_unavailable' };
    case 'agent': {
      const [, verb, name, ...rest] = words;
      if (verb === 'accepts') return { type: 'agent.accepted', agentName: name };
      if (verb === 'closes') return { type: 'agent.closed', agentName: name };
      if (verb === 'hands-back') return { type: 'agent.handback', agentName: name, step: rest[0] ?? '' };
      if (verb === 'says') return { type: 'agent.text', agentName: name.replace(/:$/, ''), text: rest.join(' ') };
      throw fail();
    }
    default:
      throw fail();
  }
}

export function parseTranscript(name: string, source: string): Transcript {
  const transcript: Transcript = { name, login: false, lines: [] };
  let last: TranscriptLine | undefined;
  source.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const text = raw.trim();
    if (!text || text.startsWith('#')) return;
    const body = text.replace(/^(<<|[<>~!=@])\s*/, '');
    if (text.startsWith('@locale')) transcript.locale = text.split(/\s+/)[1] as Locale;
    else if (text === '@login') transcript.login = true;
    else if (text.startsWith('@helpdesk')) {
      const where = text.split(/\s+/)[1];
      if (where !== 'slack' && where !== 'teams') throw new Error(`${name}:${line}: @helpdesk takes slack or teams, not "${where ?? ''}"`);
      transcript.helpdesk = where;
    }
    else if (text.startsWith('>')) {
      const click = /^\[(.+)\]$/.exec(body);
      // `\n` in a typed line is a line break: one message of several lines.
      transcript.lines.push(click ? { kind: 'click', label: click[1], line } : { kind: 'say', text: body.replace(/\\n/g, '\n'), line });
    } else if (text.startsWith('~')) {
      const ms = parseDuration(body);
      if (ms === undefined) throw new Error(`${name}:${line}: "${body}" is not a duration`);
      transcript.lines.push({ kind: 'wait', ms, line });
    } else if (text.startsWith('!')) transcript.lines.push({ kind: 'event', event: parseEvent(body, line), line });
    else if (text.startsWith('=')) transcript.lines.push({ kind: 'step', step: body, line });
    else if (text.startsWith('<<')) transcript.lines.push({ kind: 'expect', audience: 'helpdesk', text: body, links: [], line });
    else if (text.startsWith('<')) transcript.lines.push({ kind: 'expect', audience: 'customer', text: body, links: [], line });
    else if (text.startsWith('[') && last?.kind === 'expect') {
      last.choices = [...text.matchAll(/\[([^\]]+)\]/g)].map((match) => match[1]);
    } else if (text.startsWith('(link:') && last?.kind === 'expect') last.links.push(text.slice(6, -1).trim());
    else throw new Error(`${name}:${line}: cannot read "${text}"`);
    last = transcript.lines.at(-1);
  });
  return transcript;
}
