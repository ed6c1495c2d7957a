import type { Locale } from '../../src/contract/messages.js';
import { en } from './copy.en.js';
import { it, type CopyKey } from './copy.it.js';

export type { CopyKey };
export type CopyParams = Record<string, string | number>;

const catalogues: Record<Locale, Record<CopyKey, string>> = { it, en };

/**
 * A sentence split at its placeholders once: literal text at even indexes, parameter names at
 * odd ones ("Ciao {name}!" → ['Ciao ', 'name', '!']), so filling it scans no pattern per turn.
 */
type Template = string[];

const templates = new Map<string, Template>();

function template(locale: Locale, key: CopyKey): Template {
  const id = `${locale}\u0000${key}`;
  let parts = templates.get(id);
  if (!parts) {
    parts = catalogues[locale][key].split(/\{(\w+)\}/);
    templates.set(id, parts);
  }
  return parts;
}

/** A sentence in `locale` with its `{placeholders}` filled; a missing parameter is a bug. */
export function t(locale: Locale, key: CopyKey, params: CopyParams = {}): string {
  const parts = template(locale, key);
  let text = parts[0];
  for (let index = 1; index < parts.length; index += 2) {
    const value = params[parts[index]];
    if (value === undefined) throw new Error(`copy ${locale}/${key} needs {${parts[index]}}`);
    text += String(value) + parts[index + 1];
  }
  return text;
}

export const COPY_KEYS = Object.keys(it) as CopyKey[];
export { catalogues };
