import { describe, expect, it } from '@jest/globals';
import { isLoopbackUrl } from '../../../adapters/teams/loopback.js';

describe('isLoopbackUrl (the Emulator mode serviceUrl rule)', () => {
  it.each([
    ['http://127.0.0.1:3978/', true],
    ['http://127.1.2.3/', true],
    ['http://localhost:50123/', true],
    ['http://LOCALHOST/', true],
    ['http://[::1]:50123/', true],
    ['http://0x7f.1/', true], // the URL parser normalises it to 127.0.0.1
    ['http://127.0.0.1.example.test/', false],
    ['http://localhost.example.test/', false],
    ['http://connector.example.test/', false],
    ['https://smba.trafficmanager.net/teams/', false],
    ['http://10.0.0.1/', false],
    ['http://[::ffff:7f00:1]/', false],
    ['not a url', false],
    [undefined, false],
  ])('%s → %s', (url, expected) => {
    expect(isLoopbackUrl(url)).toBe(expected);
  });
});
