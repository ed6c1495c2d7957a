import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** What the Web API client reads of a response (@slack/web-api 8's WebClient: status, headers, text). */
interface LeanResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly url: string;
  readonly headers: { get(name: string): string | null; entries(): IterableIterator<[string, string]> };
  text(): Promise<string>;
  json(): Promise<unknown>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * A `fetch` for the Slack Web API client: a plain node:http(s) POST over keep-alive agents. The
 * global `fetch` (undici, web streams, an AbortSignal per call) made a `chat.postMessage` cost
 * ~400 µs of CPU on our side, four times a node:http request (test/bench/slack-update.bench.ts);
 * the client keeps its own retries, rate-limit and error handling on top. Anything but a string
 * body over http(s) (a file upload's FormData) goes to the global `fetch`.
 *
 * A call whose connection stays silent for `idleTimeoutMs` fails (the client then retries it, and
 * the sender after it): node:http has no timeout of its own, and one Slack connection that never
 * answers would otherwise hold its conversation's turns for good (the global fetch gave up after
 * undici's 300 s).
 */
export function leanFetch({ idleTimeoutMs = 30_000 }: { idleTimeoutMs?: number } = {}): typeof fetch {
  const agents = {
    'http:': new HttpAgent({ keepAlive: true, scheduling: 'lifo' }),
    'https:': new HttpsAgent({ keepAlive: true, scheduling: 'lifo' }),
  };
  return ((input: string | URL, init: RequestInit = {}) => {
    const url = new URL(String(input));
    const protocol = url.protocol as keyof typeof agents;
    if (typeof init.body !== 'string' || !(protocol in agents) || init.signal) return fetch(input, init);
    const body = init.body;
    const headers = { ...(init.headers as Record<string, string>), 'content-length': String(Buffer.byteLength(body)) };
    return new Promise<LeanResponse>((resolve, reject) => {
      const send = protocol === 'https:' ? httpsRequest : httpRequest;
      const sent = send(url, { method: init.method ?? 'GET', headers, agent: agents[protocol] }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve(leanResponse(url.href, response, Buffer.concat(chunks))));
        response.on('error', reject);
      });
      sent.on('error', reject);
      sent.setTimeout(idleTimeoutMs, () =>
        sent.destroy(new Error(`Slack Web API: no answer from ${url.host} within ${idleTimeoutMs} ms`)),
      );
      sent.end(body);
    });
  }) as typeof fetch;
}

function leanResponse(url: string, response: IncomingMessage, body: Buffer): LeanResponse {
  const status = response.statusCode ?? 0;
  const header = (name: string) => {
    const value = response.headers[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  };
  const names = Object.keys(response.headers);
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: response.statusMessage ?? '',
    url,
    headers: { get: header, entries: () => names.map((name): [string, string] => [name, header(name)!]).values() },
    text: async () => body.toString('utf8'),
    json: async () => JSON.parse(body.toString('utf8')) as unknown,
    arrayBuffer: async () => body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer,
  };
}
