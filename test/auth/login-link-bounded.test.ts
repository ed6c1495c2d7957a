import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Express, Request, RequestHandler, Response } from 'express';
import { MemoryLoginLinkStore } from '../../src/auth/index.js';
import { newKey, startLoginHarness, type LoginHarness } from './login-harness.js';

// 100,000 opens of one login link keep the store (and the heap) flat and take bounded time.
// The route handler is called in-process with a minimal request and response: over HTTP,
// 100,000 requests would take minutes on a loaded machine. The provider is real (discovery).
const OPENS = 100_000;
/** PENDING_PER_LINK: the newest sign-ins a link keeps. */
const KEPT = 3;
let h: LoginHarness;
let store: MemoryLoginLinkStore;

beforeAll(async () => {
  h = await startLoginHarness({ linkStore: (clock) => (store = new MemoryLoginLinkStore(() => clock.now())) });
});
afterAll(() => h.close());

/** The GET /auth/login/:linkId handler, taken from `mount`. */
function loginRoute(): RequestHandler {
  const routes = new Map<string, RequestHandler>();
  h.login.mount({ get: (path: string, handler: RequestHandler) => routes.set(path, handler) } as unknown as Express);
  return routes.get('/auth/login/:linkId')!;
}

/** Opens the link once; resolves the state of the sign-in it started (or the status it answered). */
async function open(route: RequestHandler, linkId: string): Promise<{ status: number; state?: string }> {
  let status = 200;
  let location: string | undefined;
  const res = {
    status: (code: number) => ((status = code), res),
    set: () => res,
    type: () => res,
    cookie: () => res,
    location: (url: string) => ((location = url), res),
    end: () => res,
    send: () => res,
  };
  const req = { params: { linkId }, headers: {}, originalUrl: `/auth/login/${linkId}` };
  await route(req as unknown as Request, res as unknown as Response, () => undefined);
  return { status, state: location ? (new URL(location).searchParams.get('state') ?? undefined) : undefined };
}

// A full collection before each reading, so the heap figure is what is kept, not garbage.
setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;
const heapMb = () => {
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

describe('pending sign-ins are bounded per link', () => {
  it('100,000 opens of one link keep only the newest few sign-ins: the store and the heap stay flat', async () => {
    const link = await h.newLoginLink(newKey());
    const linkId = new URL(link).pathname.split('/').at(-1)!;
    const route = loginRoute();
    expect((await open(route, linkId)).status).toBe(303); // discovery done before measuring

    const states: string[] = [];
    const heapBefore = heapMb();
    const started = performance.now();
    for (let i = 0; i < OPENS; i++) {
      const { status, state } = await open(route, linkId);
      if (status !== 303) throw new Error(`open ${i} answered ${status}`);
      if (i === 0 || i >= OPENS - KEPT) states.push(state!);
    }
    const seconds = (performance.now() - started) / 1000;
    const heapGrowth = heapMb() - heapBefore;
    console.log(`[figure] login link opens per second (in-process, ${OPENS}): ${Math.round(OPENS / seconds)}`);
    console.log(`[figure] heap growth after ${OPENS} opens of one link: ${heapGrowth.toFixed(1)} MB`);
    console.log(`[figure] memory login-link store entries after ${OPENS} opens: ${store.size}`);

    expect(heapGrowth).toBeLessThan(10); // all 100,000 kept grew it by about 54 MB
    const [oldest, ...rest] = states;
    expect(await store.takePending(oldest)).toBeUndefined(); // the oldest gave way
    for (const state of rest.slice(-KEPT)) expect(await store.takePending(state)).toBeDefined();
    expect(store.size).toBeLessThanOrEqual(2 + 1 + KEPT + 1); // links, current, pending, index
    expect(seconds).toBeLessThan(90); // generous for a loaded machine; walking everything per open took far longer
  }, 180_000);
});
