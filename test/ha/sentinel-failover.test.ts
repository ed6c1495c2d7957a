import { RedisSentinelTopology } from '../support/redis-topologies.js';
import { describeFailover } from './failover.js';

describeFailover({
  name: 'sentinel',
  title: 'SIGKILL of the master: the sentinels promote the replica',
  start: () => RedisSentinelTopology.start(),
  target: (topology) => ({
    kind: 'sentinel',
    sentinels: topology.sentinelNodes,
    name: RedisSentinelTopology.masterName,
  }),
  kill: async (topology) => (await topology.currentMaster()).kill(),
});
