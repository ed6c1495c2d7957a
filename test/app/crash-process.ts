/**
 * A process with the crash handlers of src/main.ts: a rejection nobody handles, then (after
 * printing `still alive`) an exception nobody catches.
 */
import { installCrashHandlers } from '../../src/crash-handlers.js';
import { AppError } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';

installCrashHandlers(createLogger('info'));
void Promise.reject(new AppError('tsid_store_unavailable', 'The client is offline'));
setTimeout(() => {
  process.stdout.write('still alive\n');
  throw new AppError('tsid_internal', 'a bug');
}, 200);
