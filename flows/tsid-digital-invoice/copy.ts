import type { Locale } from '../../src/contract/messages.js';
import { en } from './copy.en.js';
import { it, type CopyKey } from './copy.it.js';

export type { CopyKey };
export type CopyParams = Record<string, string | number>;

const catalogues: Record<Locale, Record<CopyKey, string>> = { it, en };

/** A sentence in `locale` with its `{placeholders}` filled; a missing parameter is a bug. */
export function t(locale: Locale, key: CopyKey, params: CopyParams = {}): string {
  return catalogues[locale][key].replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`copy ${locale}/${key} needs {${name}}`);
    return String(value);
  });
}

export const COPY_KEYS = Object.keys(it) as CopyKey[];
export { catalogues };
