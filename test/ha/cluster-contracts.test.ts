import { RedisClusterTopology } from '../support/redis-topologies.js';
import { describeStoreContractsOn } from './store-contracts.js';

// 3 masters + 3 replicas started from the machine's redis-server for this file.
describeStoreContractsOn('redis cluster', () => RedisClusterTopology.start(), (cluster) => ({ kind: 'cluster', nodes: cluster.urls }));
