import { RedisClusterTopology } from '../support/redis-topologies.js';
import { describeFailover } from './failover.js';

describeFailover({
  name: 'cluster',
  title: "SIGKILL of the master holding a busy conversation's slot: its replica takes over",
  start: () => RedisClusterTopology.start(),
  target: (cluster) => ({ kind: 'cluster', nodes: cluster.urls }),
  kill: async (cluster, busyKey) => (await cluster.masterOf(busyKey)).kill(),
});
