import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
// Not in the package's index: the one cache every token check reads its keys from (pinned 4.23.3).
import { JwtTokenExtractor } from 'botframework-connector/lib/auth/jwtTokenExtractor.js';
import { AppError } from '../../src/errors.js';

export interface OpenIdKeysOptions {
  /** The metadata and the JWKS together must arrive within this (default 3 s). */
  timeoutMs?: number;
  /** After a failed fetch, requests needing one are refused at once for this long (default 10 s). */
  retryAfterMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

/** The signing keys could not be had: the request may be fine, so the answer is 503, not 401. */
export class KeysUnavailableError extends AppError {
  constructor(readonly retryAfterS: number) {
    super('tsid_auth_unavailable', 'the Bot Framework signing keys could not be fetched');
  }
}

type Jwk = JsonWebKey & { kid?: string; endorsements?: string[] };
const HOUR = 60 * 60_000;

/**
 * botbuilder's OpenIdMetadata with bounds: the same cache rules (keys refreshed every 24 h,
 * and for an unknown key id at most once an hour), but one fetch at a time shared by every
 * request waiting for it, a timeout, and a pause after a failure. With keys already cached a
 * failed refresh keeps them (botbuilder's own "search the cache even if we failed").
 */
export class BoundedOpenIdMetadata {
  private keys?: Jwk[];
  /** Each key parsed once (per fetched key set): parsing a public key was ~4% of a Teams turn's CPU. */
  private readonly parsed = new WeakMap<Jwk, KeyObject>();
  private lastUpdated = 0;
  private lastFailure = -Infinity;
  private flight?: Promise<void>;
  private readonly timeoutMs: number;
  private readonly retryAfterMs: number;
  private readonly fetch: typeof fetch;
  private readonly now: () => number;
  /** Fetches started (tests, and the log of a refusal). */
  fetches = 0;

  constructor(
    private readonly url: string,
    options: OpenIdKeysOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 3_000;
    this.retryAfterMs = options.retryAfterMs ?? 10_000;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.now = options.now ?? Date.now;
  }

  /** What botbuilder's JwtTokenExtractor asks for: the public key (parsed: see find) and its endorsements, or null. */
  async getKey(keyId: string): Promise<{ key: string; endorsements?: string[] } | null> {
    if (this.lastUpdated < this.now() - 24 * HOUR) await this.refresh();
    else if (!this.find(keyId) && this.lastUpdated < this.now() - HOUR) await this.refresh();
    return this.find(keyId);
  }

  private async refresh(): Promise<void> {
    try {
      await this.sharedFetch();
    } catch (error) {
      if (!this.keys) throw error;
    }
  }

  private sharedFetch(): Promise<void> {
    if (this.flight) return this.flight;
    const waited = this.now() - this.lastFailure;
    if (waited < this.retryAfterMs) {
      return Promise.reject(new KeysUnavailableError(Math.ceil((this.retryAfterMs - waited) / 1000)));
    }
    this.fetches += 1;
    this.flight = this.fetchKeys()
      .then((keys) => {
        this.keys = keys;
        this.lastUpdated = this.now();
      })
      .catch(() => {
        this.lastFailure = this.now();
        throw new KeysUnavailableError(Math.ceil(this.retryAfterMs / 1000));
      })
      .finally(() => (this.flight = undefined));
    return this.flight;
  }

  private async fetchKeys(): Promise<Jwk[]> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    const metadata = (await (await this.fetch(this.url, { signal })).json()) as { jwks_uri?: unknown };
    if (typeof metadata.jwks_uri !== 'string') throw new Error('OpenID metadata without jwks_uri');
    const jwks = (await (await this.fetch(metadata.jwks_uri, { signal })).json()) as { keys?: unknown };
    if (!Array.isArray(jwks.keys)) throw new Error('JWKS without keys');
    return jwks.keys as Jwk[];
  }

  private find(keyId: string): { key: string; endorsements?: string[] } | null {
    const jwk = this.keys?.find((key) => key.kid === keyId);
    if (!jwk?.n || !jwk.e) return null; // botbuilder too: RSA keys only
    let key = this.parsed.get(jwk);
    if (!key) {
      key = createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' });
      this.parsed.set(jwk, key);
    }
    // botbuilder hands it to jsonwebtoken's verify, which takes a KeyObject as it is (a PEM string
    // it would parse again on every token); the type says string, botbuilder only passes it on.
    return { key: key as unknown as string, endorsements: jwk.endorsements };
  }
}

/**
 * Puts bounded metadata in botbuilder's cache for each URL, so every token check (channel,
 * Emulator, skills) reads its keys through it. Fails fast if a botbuilder upgrade moved the cache.
 */
export function installBoundedKeys(urls: string[], options: OpenIdKeysOptions = {}): BoundedOpenIdMetadata[] {
  const cache = (JwtTokenExtractor as unknown as { openIdMetadataCache?: unknown }).openIdMetadataCache;
  if (!(cache instanceof Map)) {
    throw new AppError(
      'tsid_internal',
      'botframework-connector changed: JwtTokenExtractor.openIdMetadataCache is gone',
    );
  }
  return [...new Set(urls)].map((url) => {
    const metadata = new BoundedOpenIdMetadata(url, options);
    cache.set(url, metadata);
    return metadata;
  });
}
