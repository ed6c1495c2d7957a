/**
 * `npm run teams:package [out.zip]`: writes the Teams app package for MicrosoftAppId
 * (read through loadConfig, like the bot itself) to teams/build/ or the given path.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { loadConfig } from '../../src/config/load-config.js';
import { buildAppPackage } from './app-package.js';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.teams.appId) {
    throw new Error(
      "MicrosoftAppId is empty: set it to the Azure Bot registration's app id (and MicrosoftAppPassword) before packaging.",
    );
  }
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  const out = resolve(process.argv[2] ?? 'teams/build/tsid-assistant-teams.zip');
  const zip = await buildAppPackage({
    MicrosoftAppId: config.teams.appId,
    version: pkg.version,
    publicBaseUrl: config.publicBaseUrl,
  });
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, zip);
  console.log(
    `Teams app package written to ${out} (${zip.length} bytes). Upload it in the Teams admin center: Teams apps > Manage apps > Upload new app.`,
  );
}

main().catch((error: unknown) => {
  console.error(`teams:package failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
