import { RedisSentinelTopology } from '../support/redis-topologies.js';
import { describeStoreContractsOn } from './store-contracts.js';

// 1 master + 1 replica + 3 sentinels started from the machine's redis-server for this file.
describeStoreContractsOn(
  'redis sentinel',
  () => RedisSentinelTopology.start(),
  (topology) => ({
    kind: 'sentinel',
    sentinels: topology.sentinelNodes,
    name: RedisSentinelTopology.masterName,
  }),
);
