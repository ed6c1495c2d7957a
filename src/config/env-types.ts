/** The value types an environment variable can have; each parses the trimmed text. */
import { z } from 'zod';
import { parseDuration } from '../scheduler/clock.js';

/** pino's levels, plus `silent`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** `why`: the rule the value broke, told to the operator after the expected form. */
const invalid = (ctx: z.RefinementCtx, why = 'invalid') => {
  ctx.addIssue({ code: 'custom', message: why });
  return z.NEVER;
};

/** Why a duration was refused: not written as one, or not above zero. */
const durationProblem = (ms: number | undefined) =>
  ms === undefined ? 'write a number and a unit: ms, s, m, h or d' : 'a duration must be more than 0';

export const text = z.string();

export const port = z.string().transform((value, ctx) => {
  const n = Number(value);
  return /^\d+$/.test(value) && n <= 65535 ? n : invalid(ctx);
});

/** An absolute URL with one of `protocols`, without its trailing slash. */
export const urlOf = (protocols: string[], accept: (url: URL) => boolean = () => true) =>
  z.string().transform((value, ctx) => {
    const url = URL.canParse(value) ? new URL(value) : undefined;
    if (!url || !protocols.includes(url.protocol) || !accept(url)) return invalid(ctx);
    return url.toString().replace(/\/$/, '');
  });

export const httpUrl = urlOf(['http:', 'https:']);

/** 127.0.0.0/8, ::1 and localhost: the only hosts where a plain-http identity provider is acceptable. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** https, or http on a loopback host (a local identity provider). */
export const issuerUrl = urlOf(['http:', 'https:'], (url) => url.protocol === 'https:' || isLoopbackHost(url.hostname));

/** Kept as written: the redis client reads credentials and options from it. */
export const redisUrl = z.string().refine((value) => URL.canParse(value) && /^rediss?:$/.test(new URL(value).protocol));

/** `30m`, `24h`, `10s`, `500ms`, `7d`: a positive number of milliseconds. */
export const duration = z.string().transform((value, ctx) => {
  const ms = parseDuration(value);
  return ms !== undefined && ms > 0 ? ms : invalid(ctx, durationProblem(ms));
});

export const durationList = z.string().transform((value, ctx) => {
  const list = value.split(',').map((part) => parseDuration(part));
  const wrong = list.find((ms) => ms === undefined || ms <= 0);
  return list.every((ms): ms is number => ms !== undefined && ms > 0) ? list : invalid(ctx, durationProblem(wrong));
});

/** Comma-separated, blanks dropped. */
export const list = z.string().transform((value) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

export const onOff = z.enum(['on', 'off']).transform((value) => value === 'on');

const hostPort = (value: string) =>
  /^[^\s/:]+:\d{1,5}$/.test(value) && Number(value.slice(value.lastIndexOf(':') + 1)) <= 65535;

/** Redis Cluster seeds: `host:port` or `redis[s]://[user:pass@]host:port`, comma-separated; each as a URL. */
export const redisNodeList = list.transform((nodes, ctx) => {
  const urls = nodes.map((node) => (/^rediss?:\/\//.test(node) ? node : `redis://${node}`));
  return urls.length > 0 && urls.every((url) => URL.canParse(url) && hostPort(new URL(url).host)) ? urls : invalid(ctx);
});

/** Slack workspace (`T…`) and Enterprise Grid org (`E…`) ids, comma-separated. */
export const slackTeamList = list.transform((ids, ctx) =>
  ids.length > 0 && ids.every((id) => /^[TE][A-Z0-9]{1,31}$/.test(id)) ? ids : invalid(ctx),
);

/** Sentinels: `host:port`, comma-separated. */
export const hostPortList = list.transform((entries, ctx) =>
  entries.length > 0 && entries.every(hostPort)
    ? entries.map((entry) => ({
        host: entry.slice(0, entry.lastIndexOf(':')),
        port: Number(entry.slice(entry.lastIndexOf(':') + 1)),
      }))
    : invalid(ctx),
);

/** A number greater than zero. */
export const positiveNumber = z.string().transform((value, ctx) => {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : invalid(ctx);
});

/** An address or host name to listen on: `0.0.0.0`, `127.0.0.1`, `::`, `localhost`. */
export const listenHost = z.string().regex(/^[A-Za-z0-9.:-]+$/);
