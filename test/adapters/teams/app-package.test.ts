import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import JSZip from 'jszip';
import { buildManifest } from '../../../adapters/teams/app-manifest.js';
import { buildAppPackage } from '../../../adapters/teams/app-package.js';

const APP_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

/**
 * CRC-32 (ISO 3309, as PNG uses it), written out bit by bit here so the check does not
 * reuse the encoder's own table.
 */
function independentCrc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** Reads a PNG the way a viewer would: signature, every chunk's CRC, size, row filters, the pixels. */
function readPng(png: Buffer) {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const chunks: { type: string; data: Buffer }[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    const body = png.subarray(at + 4, at + 8 + length);
    expect(png.readUInt32BE(at + 8 + length)).toBe(independentCrc32(body));
    chunks.push({ type: body.subarray(0, 4).toString('ascii'), data: body.subarray(4) });
    at += 12 + length;
  }
  expect(chunks.map((chunk) => chunk.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
  const header = chunks[0].data;
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  const rows = inflateSync(chunks[1].data);
  expect(rows.length).toBe((width * 4 + 1) * height);
  const stride = width * 4 + 1;
  // Each row starts with its filter type; the pixels are read raw below, so it must be 0 (none).
  expect(new Set(Array.from({ length: height }, (_, y) => rows[y * stride]))).toEqual(new Set([0]));
  const pixels = new Set<string>();
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      pixels.add([...rows.subarray(y * (width * 4 + 1) + 1 + x * 4, y * (width * 4 + 1) + 5 + x * 4)].join(','));
  return { width, height, colourType: header[9], pixels };
}

describe('the Teams app package', () => {
  it('checks PNG chunks with a CRC-32 that gives the published value of every IEND chunk', () => {
    expect(independentCrc32(Buffer.from('IEND', 'ascii'))).toBe(0xae426082);
  });

  it('holds the manifest for MicrosoftAppId and the two icons Teams asks for', async () => {
    const zip = await JSZip.loadAsync(
      await buildAppPackage({ MicrosoftAppId: APP_ID, version: '0.1.0', publicBaseUrl: 'https://bot.example.com' }),
    );
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string'));
    expect(manifest).toMatchObject({
      manifestVersion: '1.17',
      version: '0.1.0',
      id: APP_ID,
      icons: { color: 'color.png', outline: 'outline.png' },
      accentColor: '#0F6CBD',
      bots: [{ botId: APP_ID, scopes: ['personal', 'team', 'groupChat'] }],
      validDomains: ['bot.example.com'],
    });
    expect(manifest.name.short.length).toBeLessThanOrEqual(30);
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
    const color = readPng(await zip.file('color.png')!.async('nodebuffer'));
    expect([color.width, color.height, color.colourType]).toEqual([192, 192, 6]);
    expect(color.pixels).toEqual(new Set(['15,108,189,255', '255,255,255,255']));
    const outline = readPng(await zip.file('outline.png')!.async('nodebuffer'));
    expect([outline.width, outline.height]).toEqual([32, 32]);
    expect(outline.pixels).toEqual(new Set(['0,0,0,0', '255,255,255,255'])); // white on transparent only
  });

  it('refuses an app id that is not a GUID, and leaves localhost out of validDomains', () => {
    const template = { id: '{{MicrosoftAppId}}', version: '{{version}}', validDomains: [] };
    expect(() => buildManifest(template, { MicrosoftAppId: 'my-bot', version: '1', accentColor: '#000000' })).toThrow(
      /GUID.*; version must be x\.y\.z/,
    );
    expect(
      buildManifest(template, {
        MicrosoftAppId: APP_ID,
        version: '1.0.0',
        accentColor: '#000000',
        publicBaseUrl: 'http://localhost:3978',
      }),
    ).toEqual({
      id: APP_ID,
      version: '1.0.0',
      validDomains: [],
    });
    expect(() =>
      buildManifest({ x: '{{nope}}' }, { MicrosoftAppId: APP_ID, version: '1.0.0', accentColor: '#000000' }),
    ).toThrow(/unknown placeholders: \{\{nope\}\}/);
  });
});

describe('npm run teams:package', () => {
  const run = (env: Record<string, string>, out: string) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(
        'npx',
        ['tsx', 'adapters/teams/package-app.ts', out],
        { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env } },
        (error, stdout, stderr) =>
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
      );
      child.stdin?.end();
    });

  it('writes the zip from MicrosoftAppId, and explains what is missing without it', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'teams-package-'));
    try {
      const out = join(folder, 'app.zip');
      const ok = await run({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'secret' }, out);
      expect(ok).toMatchObject({ code: 0 });
      expect(ok.stdout).toContain(out);
      const zip = await JSZip.loadAsync(await readFile(out));
      expect(JSON.parse(await zip.file('manifest.json')!.async('string')).id).toBe(APP_ID);
      const missing = await run({}, join(folder, 'none.zip'));
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('MicrosoftAppId is empty');
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
