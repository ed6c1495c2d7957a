import { describe, expect, it } from '@jest/globals';
import { BoundedOpenIdMetadata } from '../../../adapters/teams/openid-keys.js';
import { signingKey } from './bot-tokens.js';

/** A metadata document and its JWKS served from memory. */
function serving(jwks: unknown): typeof fetch {
  return async (url: string | URL | Request) =>
    new Response(JSON.stringify(String(url).endsWith('/metadata') ? { jwks_uri: 'https://keys.test/jwks' } : jwks));
}

describe('the Bot Framework signing keys', () => {
  it('are parsed once and handed to the token check as that same key object, not as PEM text parsed per token', async () => {
    const key = await signingKey('kid-1');
    const metadata = new BoundedOpenIdMetadata('https://keys.test/metadata', { fetch: serving({ keys: [key.jwk] }) });
    const first = await metadata.getKey('kid-1');
    const second = await metadata.getKey('kid-1');
    expect(typeof first?.key).toBe('object');
    expect(second?.key).toBe(first?.key);
    expect(second?.endorsements).toEqual(['msteams', 'webchat']);
    expect(await metadata.getKey('unknown')).toBeNull();
  });
});
