import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { PACKAGE, packagedChromium } from './packaged-chromium.js';

/** Debian's and Ubuntu's names for the system Chromium. */
export const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

// Nothing leaves loopback: no first-run, sync, component updates or background fetches.
// Of the packaged Chromium's recommended flags we take none: they are for serverless sandboxes
// (--single-process, --no-zygote) or weaken the page (--disable-web-security), and ours run it.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--lang=it-IT',
];

const WAYS =
  `The browser tests need Chromium, from one of: CHROMIUM_PATH=/path/to/chromium; a system Chromium ` +
  `(${SYSTEM_CHROMIUM.join(' or ')}, e.g. apt-get install chromium); the devDependency ${PACKAGE} ` +
  `(installed by npm ci, Linux x64). The browser tests never skip.`;

/**
 * The browser to drive, in this order: CHROMIUM_PATH if set (and then only it), else a system
 * Chromium, else the one the devDependency ships inside its npm package. Throws (the browser
 * tests never skip) naming all three ways when none can be had.
 */
export async function findChromium(
  env: Record<string, string | undefined> = process.env,
  exists: (path: string) => boolean = existsSync,
  packaged: () => Promise<string> = packagedChromium,
): Promise<string> {
  if (env.CHROMIUM_PATH) {
    if (exists(env.CHROMIUM_PATH)) return env.CHROMIUM_PATH;
    throw new Error(`CHROMIUM_PATH=${env.CHROMIUM_PATH} does not exist. ${WAYS}`);
  }
  const system = SYSTEM_CHROMIUM.find((path) => exists(path));
  if (system) return system;
  try {
    return await packaged();
  } catch (error) {
    throw new Error(`No Chromium: ${(error as Error).message}. ${WAYS}`, { cause: error });
  }
}

/** Launches headless Chromium (see findChromium) with a fresh profile. */
export async function launchChromium(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  const executablePath = await findChromium();
  const profile = mkdtempSync(join(tmpdir(), 'tsid-chromium-'));
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    args: [...FLAGS, `--user-data-dir=${profile}`],
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
