import { afterAll, describe, expect, it } from '@jest/globals';
import type { ChildInstance } from '../reliability/instances.js';
import { uniquePrefix } from '../support/redis.js';
import { RedisClusterTopology } from '../support/redis-topologies.js';
import { failoverUnderLoad, printFailoverFigures } from './failover.js';

const children: ChildInstance[] = [];
let cluster: RedisClusterTopology | undefined;

afterAll(async () => {
  for (const { child } of children) child.kill('SIGKILL');
  await cluster?.dispose();
}, 30_000);

describe('Redis Cluster failover under load', () => {
  it('SIGKILL of the master holding a busy conversation: its replica takes over, the bot reconnects by itself, at most 5 acknowledged turns lost (replica wait is best effort), no reset, every reminder due in the gap delivered', async () => {
    cluster = await RedisClusterTopology.start();
    const topology = cluster;
    const report = await failoverUnderLoad({
      target: { kind: 'cluster', nodes: topology.urls },
      prefix: uniquePrefix('ha-cluster'),
      children,
      kill: async (busyKey) => (await topology.masterOf(busyKey)).kill(),
    });
    printFailoverFigures('cluster', report);
    expect(report.readinessFailed).toBe(true);
    expect(report.secondsToRecover).toBeLessThan(60);
    expect(report.otherErrors).toBe(0);
    expect(report.lost).toBeLessThanOrEqual(5);
    expect(report.resets).toBe(0);
    expect(report.remindersMissing).toBe(0);
  }, 120_000);
});
