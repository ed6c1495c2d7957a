import { afterAll, describe, expect, it } from '@jest/globals';
import type { ChildInstance } from '../reliability/instances.js';
import { uniquePrefix } from '../support/redis.js';
import { RedisSentinelTopology } from '../support/redis-topologies.js';
import { failoverUnderLoad, printFailoverFigures } from './failover.js';

const children: ChildInstance[] = [];
let topology: RedisSentinelTopology | undefined;

afterAll(async () => {
  for (const { child } of children) child.kill('SIGKILL');
  await topology?.dispose();
}, 30_000);

describe('Redis Sentinel failover under load', () => {
  it('SIGKILL of the master: the sentinels promote the replica, the bot reconnects by itself, at most 5 acknowledged turns lost (replica wait is best effort), no reset, every reminder due in the gap delivered', async () => {
    topology = await RedisSentinelTopology.start();
    const sentinel = topology;
    const report = await failoverUnderLoad({
      target: { kind: 'sentinel', sentinels: sentinel.sentinelNodes, name: RedisSentinelTopology.masterName },
      prefix: uniquePrefix('ha-sentinel'),
      children,
      kill: async () => (await sentinel.currentMaster()).kill(),
    });
    printFailoverFigures('sentinel', report);
    expect(report.readinessFailed).toBe(true);
    expect(report.secondsToRecover).toBeLessThan(60);
    expect(report.otherErrors).toBe(0);
    expect(report.lost).toBeLessThanOrEqual(5);
    expect(report.resets).toBe(0);
    expect(report.remindersMissing).toBe(0);
  }, 120_000);
});
