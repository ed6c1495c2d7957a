/**
 * Fills the Teams app manifest template (`manifest.json` beside this file). The template
 * is parsed first and placeholders are replaced in its string values, so nothing is ever
 * pasted into JSON text.
 */
export interface ManifestValues {
  /** The bot's Azure app id; also the Teams app id. */
  MicrosoftAppId: string;
  /** The app package version, `x.y.z`. */
  version: string;
  accentColor: string;
  /** Where login links point (PUBLIC_BASE_URL): listed in validDomains unless local. */
  publicBaseUrl?: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The filled manifest; throws a list of problems when a value is unusable. */
export function buildManifest(template: unknown, values: ManifestValues): Record<string, unknown> {
  const problems: string[] = [];
  if (!GUID.test(values.MicrosoftAppId))
    problems.push(`MicrosoftAppId must be the bot's Azure app id (a GUID), got "${values.MicrosoftAppId}"`);
  if (!/^\d+\.\d+\.\d+$/.test(values.version)) problems.push(`version must be x.y.z, got "${values.version}"`);
  if (problems.length > 0) throw new Error(problems.join('; '));
  const filled = fill(template, values as unknown as Record<string, string>) as Record<string, unknown>;
  const host = values.publicBaseUrl ? new URL(values.publicBaseUrl).hostname : undefined;
  if (host && host !== 'localhost' && host !== '127.0.0.1') filled.validDomains = [host];
  const left = JSON.stringify(filled).match(/\{\{[^}]*\}\}/g);
  if (left) throw new Error(`the manifest template has unknown placeholders: ${[...new Set(left)].join(', ')}`);
  return filled;
}

function fill(node: unknown, values: Record<string, string>): unknown {
  if (typeof node === 'string') return node.replace(/\{\{(\w+)\}\}/g, (match, name: string) => values[name] ?? match);
  if (Array.isArray(node)) return node.map((item) => fill(item, values));
  if (node && typeof node === 'object')
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, fill(value, values)]));
  return node;
}
