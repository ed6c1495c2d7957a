import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createServer, type Server, type Socket } from 'node:net';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { channelToken, signingKey, type SigningKey } from './bot-tokens.js';
import { OfflineCredentials } from './offline-credentials.js';
import { TeamsHarness } from './teams-harness.js';
import { createTinyFlow } from './tiny-flow.js';

const APP_ID = '00000000-0000-4000-8000-00000000a11d';
// What an answer must never tell a caller: where the keys live, how the fetch failed, a stack.
const INTERNAL = /127\.0\.0\.1|openid|http|ENOTFOUND|getaddrinfo|ECONNREFUSED|abort|\bat\s|Error/i;

/** A metadata endpoint that accepts connections and never answers: counts the requests it got. */
class BlackHole {
  readonly sockets: Socket[] = [];
  requests = 0;
  private constructor(readonly server: Server) {}
  static async start(): Promise<BlackHole> {
    const server = createServer();
    const hole = new BlackHole(server);
    server.on('connection', (socket) => {
      hole.sockets.push(socket.on('error', () => undefined));
      socket.on('data', (chunk) => (hole.requests += String(chunk).match(/^GET /gm)?.length ?? 0));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return hole;
  }
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}/openid`;
  }
  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
/** Live heap after a full collection: what requests still hold, not garbage not yet collected. */
const heapAfterGc = () => (gc(), process.memoryUsage().heapUsed);

let hole: BlackHole;
let stuck: TeamsHarness;
let reachable: TeamsHarness;
let forger: SigningKey;
const printed: unknown[][] = [];
for (const method of ['error', 'warn', 'log'] as const) {
  jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void printed.push(args));
}

beforeAll(async () => {
  forger = await signingKey('forged-key');
  hole = await BlackHole.start();
  const teams = { appId: APP_ID, appPassword: 'not-used' };
  const credentialsFactory = new OfflineCredentials(APP_ID);
  stuck = await TeamsHarness.start({
    flow: createTinyFlow(),
    teams,
    auth: () => ({ openIdMetadataUrl: hole.url, credentialsFactory }),
  });
  reachable = await TeamsHarness.start({
    flow: createTinyFlow(),
    teams,
    auth: (fake) => ({ openIdMetadataUrl: fake.openIdMetadataUrl, credentialsFactory }),
  });
  reachable.fake.jwks = { keys: [(await signingKey('trusted-key')).jwk] };
});
afterAll(async () => {
  await stuck.close();
  await reachable.close();
  await hole.close();
});

/** A token from the Bot Framework's issuer, for this app, signed by a key nobody published. */
const forged = async (harness: TeamsHarness) =>
  `Bearer ${await channelToken(forger, { aud: APP_ID, serviceurl: harness.fake.serviceUrl }, 'trusted-key')}`;

async function burst(harness: TeamsHarness, count: number, authorization?: string) {
  authorization ??= await forged(harness);
  return Promise.all(
    Array.from({ length: count }, () => harness.post(harness.activity({ text: 'hi' }), { authorization })),
  );
}

describe('Teams token checks with the key metadata black-holed', () => {
  it('answers 50 concurrent forged requests 503 with Retry-After within 5 s, from one fetch', async () => {
    const authorization = await forged(stuck);
    const started = Date.now();
    const answers = await burst(stuck, 50, authorization);
    expect(Date.now() - started).toBeLessThanOrEqual(5_000);
    expect(answers.map((answer) => answer.status)).toEqual(Array(50).fill(503));
    expect(answers.every((answer) => Number(answer.headers.get('retry-after')) > 0)).toBe(true);
    expect(hole.requests).toBe(1);
    expect(stuck.turnsStarted).toBe(0);
  }, 10_000);

  // Before the fix each pending request held ~68 KB (2,000: RSS +135 MB): 500 would be ~33 MB.
  it('answers 500 more, 50 at once, without a fetch each, with the heap flat (+10 MB at most after GC)', async () => {
    const before = heapAfterGc();
    const started = Date.now();
    for (let round = 0; round < 10; round++) {
      expect(new Set((await burst(stuck, 50)).map((answer) => answer.status))).toEqual(new Set([503]));
    }
    const growthMb = (heapAfterGc() - before) / 2 ** 20;
    // One fetch at most per 10 s pause after a failure.
    expect(hole.requests).toBeLessThanOrEqual(1 + Math.ceil((Date.now() - started) / 10_000));
    expect(growthMb).toBeLessThan(10);
  }, 45_000);

  it('tells the caller nothing about the failure, and logs one structured line, not a line per request', () => {
    const refusals = stuck.logs.filter((entry) => entry.message === 'Teams request refused');
    expect(refusals).toEqual([
      {
        level: 'warn',
        fields: { channel: 'teams', code: 'tsid_auth_unavailable', status: 503, unlogged: 0 },
        message: 'Teams request refused',
      },
    ]);
    expect(printed).toEqual([]);
  });

  it('gives a generic 503 body', async () => {
    const [answer] = await burst(stuck, 1);
    expect(JSON.parse(answer.body)).toEqual({ error: 'try again later' });
    expect((JSON.parse(answer.body) as { error: string }).error).not.toMatch(INTERNAL);
  });
});

describe('Teams token checks with the keys reachable', () => {
  it('refuses a forged token 401 with a generic body', async () => {
    const answers = await burst(reachable, 20);
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(401));
    for (const answer of answers) expect(JSON.parse(answer.body)).toEqual({ error: 'unauthorized' });
    expect((JSON.parse(answers[0].body) as { error: string }).error).not.toMatch(INTERNAL);
    expect(reachable.logs.filter((entry) => entry.message === 'Teams request refused')).toHaveLength(1);
  });
});
