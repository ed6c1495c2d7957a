/**
 * The real process of `src/app/main.ts` (configuration from the environment, crash handlers,
 * signals), with a short reminder poll so a test needs fewer seconds: POLL_MS.
 */
import { runProcess } from '../../src/app/main.js';

await runProcess({ pollIntervalMs: Number(process.env.POLL_MS || 1000), host: '127.0.0.1' });
