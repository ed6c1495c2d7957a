/**
 * One whole bot (`startBot`, as `npm start` runs it) in its own process, for the campaign
 * tests: configuration from the environment, JSON logs (debug level) on stdout, then a
 * `{"t":"ready"}` line. SIGKILL is the point: nothing is cleaned up.
 */
import { loadConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/app/logger.js';
import { startBot } from '../../src/app/main.js';

await startBot(loadConfig(process.env), { host: '127.0.0.1', logger: createLogger('debug', process.stdout) });
process.stdout.write(`${JSON.stringify({ t: 'ready' })}\n`);
