/**
 * Bundles one TypeScript entry for child-script.ts (argv: entry, output file), in a process of
 * its own because esbuild takes plugins only in its asynchronous API. Each source keeps its own
 * `import.meta.url`: main.ts starts itself when its URL is the process's script, which a bundle's
 * shared URL would make true in every child that imports it.
 */
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

const [entry, outfile] = process.argv.slice(2);
const ownUrl = {
  name: 'own-import-meta-url',
  setup(plugin) {
    plugin.onLoad({ filter: /\.ts$/ }, async ({ path }) => ({
      contents: (await readFile(path, 'utf8')).replaceAll('import.meta.url', JSON.stringify(pathToFileURL(path).href)),
      loader: 'ts',
    }));
  },
};
await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'error',
  plugins: [ownUrl],
});
