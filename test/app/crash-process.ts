/**
 * A process with the crash handlers of src/app/main.ts: a rejection nobody handles, then (after
 * printing `still alive`) an exception nobody catches.
 */
import { installCrashHandlers } from '../../src/app/crash-handlers.js';
import { AppError } from '../../src/errors.js';
import { createLogger } from '../../src/app/logger.js';

installCrashHandlers(createLogger('info'));
void Promise.reject(new AppError('tsid_store_unavailable', 'The client is offline'));
setTimeout(() => {
  process.stdout.write('still alive\n');
  throw new AppError('tsid_internal', 'a bug');
}, 200);
