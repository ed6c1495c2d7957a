import JSZip from 'jszip';
import { readFile } from 'node:fs/promises';
import { buildManifest, type ManifestValues } from './app-manifest.js';
import { ACCENT, colorIcon, outlineIcon } from './icons.js';

const TEMPLATE = new URL('./manifest.json', import.meta.url);

/**
 * The Teams app package an admin uploads: manifest.json, color.png (192×192) and
 * outline.png (32×32) at the root of a zip.
 */
export async function buildAppPackage(values: Omit<ManifestValues, 'accentColor'>): Promise<Buffer> {
  const template: unknown = JSON.parse(await readFile(TEMPLATE, 'utf8'));
  const manifest = buildManifest(template, { ...values, accentColor: ACCENT });
  const zip = new JSZip();
  zip.file('manifest.json', JSON.stringify(manifest, null, 2));
  zip.file('color.png', colorIcon());
  zip.file('outline.png', outlineIcon());
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
