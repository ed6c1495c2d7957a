import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

/** The issuer of tokens the Bot Framework channel service sends to bots. */
export const CHANNEL_ISSUER = 'https://api.botframework.com';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  /** As published in a JWKS, with the channels it is endorsed for (as Microsoft does). */
  jwk: JWK & { endorsements: string[] };
}

export async function signingKey(kid: string, endorsements = ['msteams', 'webchat']): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig', endorsements } };
}

/** A channel-to-bot token: `aud` is the bot's app id, `serviceurl` where replies go. */
export async function channelToken(
  key: SigningKey,
  claims: { aud: string; serviceurl: string; iss?: string; expiresInS?: number },
  kid = key.kid,
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ serviceurl: claims.serviceurl })
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
    .setIssuer(claims.iss ?? CHANNEL_ISSUER)
    .setAudience(claims.aud)
    .setIssuedAt(now - 60)
    .setNotBefore(now - 60)
    .setExpirationTime(now + (claims.expiresInS ?? 3600))
    .sign(key.privateKey);
}
