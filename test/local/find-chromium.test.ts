import { describe, expect, it } from '@jest/globals';
import { PUPPETEER_REVISIONS } from 'puppeteer-core/internal/revisions.js';
import { findChromium, SYSTEM_CHROMIUM } from '../support/chromium.js';
import { packagedChromiumInfo } from '../support/packaged-chromium.js';

const PACKAGED = '/tmp/tsid-packaged-chromium-test/chromium';
const existing =
  (...paths: string[]) =>
  (path: string) =>
    paths.includes(path);
const packaged = () => Promise.resolve(PACKAGED);
const noPackage = () => Promise.reject(new Error('@sparticuz/chromium ships Chromium for Linux x64 only'));

describe('which Chromium the browser tests drive', () => {
  it('takes CHROMIUM_PATH before a system Chromium', async () => {
    const chosen = await findChromium(
      { CHROMIUM_PATH: '/opt/c/chrome' },
      existing('/opt/c/chrome', SYSTEM_CHROMIUM[0]),
      packaged,
    );
    expect(chosen).toBe('/opt/c/chrome');
  });

  it('fails on a CHROMIUM_PATH that does not exist instead of falling back to another browser', async () => {
    await expect(findChromium({ CHROMIUM_PATH: '/opt/none' }, existing(SYSTEM_CHROMIUM[0]), packaged)).rejects.toThrow(
      'CHROMIUM_PATH=/opt/none does not exist',
    );
  });

  it('takes a system Chromium before the packaged one, /usr/bin/chromium first', async () => {
    expect(await findChromium({}, existing(...SYSTEM_CHROMIUM), packaged)).toBe('/usr/bin/chromium');
    expect(await findChromium({}, existing('/usr/bin/chromium-browser'), packaged)).toBe('/usr/bin/chromium-browser');
  });

  it('takes the packaged Chromium on a machine with none', async () => {
    expect(await findChromium({}, existing(), packaged)).toBe(PACKAGED);
  });

  it('fails naming all three ways when no Chromium can be had', async () => {
    const failure = findChromium({}, existing(), noPackage);
    await expect(failure).rejects.toThrow('Linux x64 only');
    await expect(failure).rejects.toThrow(/CHROMIUM_PATH=.*\/usr\/bin\/chromium.*@sparticuz\/chromium.*never skip/);
  });

  it('ships the Chromium major version that puppeteer-core drives', () => {
    // @sparticuz/chromium's major version is Chromium's (its README); bump both together.
    const shipped = packagedChromiumInfo()?.version.split('.')[0];
    expect(shipped).toBe(PUPPETEER_REVISIONS.chrome.split('.')[0]);
  });
});
