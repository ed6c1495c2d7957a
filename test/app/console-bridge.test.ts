import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { routeConsoleToLogger } from '../../src/app/console-bridge.js';
import { createLogger } from '../../src/app/logger.js';

describe('console output in the process', () => {
  it('becomes one JSON line per distinct first line per minute, never a stack trace', () => {
    const lines: string[] = [];
    const logger = createLogger('info', new Writable({ write: (c, _e, done) => void (lines.push(String(c)), done()) }));
    let clock = 0;
    const restore = routeConsoleToLogger(logger, 60_000, () => clock);
    try {
      // What botbuilder prints for a forged signature, and for an expired token.
      for (let i = 0; i < 100; i++) {
        console.error('Error finding key for token. Available keys: -----BEGIN PUBLIC KEY-----\nMIIB...\n-----END');
        console.error(Object.assign(new Error('jwt expired'), { name: 'TokenExpiredError' }));
      }
      clock = 61_000;
      console.error(Object.assign(new Error('jwt expired'), { name: 'TokenExpiredError' }));
    } finally {
      restore();
    }
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.map((entry) => [entry.msg, entry.unlogged])).toEqual([
      ['Error finding key for token. Available keys: -----BEGIN PUBLIC KEY-----', 0],
      ['TokenExpiredError: jwt expired', 0],
      ['TokenExpiredError: jwt expired', 99],
    ]);
    expect(lines.join('')).not.toMatch(/\\n|\s{4}at /);
  });
});
