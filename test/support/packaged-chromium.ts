import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress } from 'node:zlib';

/** The devDependency whose npm tarball holds a brotli-compressed headless Chromium (Linux x64). */
export const PACKAGE = '@sparticuz/chromium';

/** The package's folder and version, or undefined when it is not installed. */
export function packagedChromiumInfo(): { root: string; version: string } | undefined {
  let main: string;
  try {
    main = createRequire(import.meta.url).resolve(PACKAGE);
  } catch {
    return undefined;
  }
  // main is <root>/build/cjs/index.cjs; the package's exports hide package.json from resolve().
  const root = join(dirname(main), '..', '..');
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  return { root, version };
}

let unpacked: Promise<string> | undefined;

/**
 * The packaged Chromium's executable, unpacked from the package (nothing is downloaded). We
 * decompress `bin/chromium.br` ourselves rather than call the package's executablePath():
 * that one reuses whatever `/tmp/chromium` holds, of any version, and is not safe against a
 * second process unpacking at the same time. Ours goes to a folder named for the version,
 * through a temporary name and a rename. The fonts and SwiftShader archives are not needed:
 * we run with --disable-gpu and the machine's fonts. Prints the time it added, once per process.
 */
export function packagedChromium(): Promise<string> {
  unpacked ??= unpack();
  return unpacked;
}

async function unpack(): Promise<string> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`${PACKAGE} ships Chromium for Linux x64 only, not ${process.platform} ${process.arch}`);
  }
  const info = packagedChromiumInfo();
  if (!info) throw new Error(`${PACKAGE} is not installed (run npm ci)`);
  const target = join(tmpdir(), `tsid-packaged-chromium-${info.version}`, 'chromium');
  const started = performance.now();
  if (!existsSync(target)) {
    mkdirSync(dirname(target), { recursive: true });
    const partial = `${target}.${process.pid}.partial`;
    try {
      await pipeline(
        createReadStream(join(info.root, 'bin', 'chromium.br')),
        createBrotliDecompress(),
        createWriteStream(partial, { mode: 0o700 }),
      );
      renameSync(partial, target);
    } finally {
      rmSync(partial, { force: true });
    }
  }
  console.log(`[figure] chromium unpack (ms): ${Math.round(performance.now() - started)}`);
  return target;
}
