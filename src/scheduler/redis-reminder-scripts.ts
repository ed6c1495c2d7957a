import { RedisScript } from '../store/redis-connection.js';

/*
 * Lua scripts of RedisReminderScheduler. KEYS are always one shard's: due (sorted set
 * member -> score), jobs (hash member -> entry JSON without the ids the member already
 * carries: {"key":…,"dueAt":…}), and where needed conv (set of one conversation's members).
 * A shard's keys share the hash tag `{rem:<n>}`, so each script is atomic on Cluster too.
 * A member is "<conversationId>\n<reminderId>". The score is dueAt while waiting and the
 * lease expiry while claimed: a claim that is never acknowledged comes due again.
 */

/** ARGV member, entryJson, dueAt → 1 (re)scheduled, 0 identical entry already there (its lease kept). */
export const scheduleScript = new RedisScript(`
if redis.call('HGET', KEYS[2], ARGV[1]) == ARGV[2] then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[1])
return 1
`);

/** ARGV member. */
export const cancelScript = new RedisScript(`
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('SREM', KEYS[3], ARGV[1])
return 1
`);

/** No ARGV: every reminder of the conversation whose set is KEYS[3]. */
export const cancelAllScript = new RedisScript(`
for _, member in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  redis.call('ZREM', KEYS[1], member)
  redis.call('HDEL', KEYS[2], member)
end
redis.call('DEL', KEYS[3])
return 1
`);

/** ARGV now, limit, leaseMs → member, entry JSON, member, entry JSON…, each now leased until now + leaseMs. */
export const claimDueScript = new RedisScript(`
local now = tonumber(ARGV[1])
local claimed = {}
for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))) do
  local entry = redis.call('HGET', KEYS[2], member)
  if entry then
    redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[3]), member)
    table.insert(claimed, member)
    table.insert(claimed, entry)
  else
    redis.call('ZREM', KEYS[1], member)
  end
end
return claimed
`);

/** ARGV member, dueAt → removes the entry only if it is still the one that was claimed. */
export const ackScript = new RedisScript(`
local entry = redis.call('HGET', KEYS[2], ARGV[1])
if not entry or cjson.decode(entry).dueAt ~= tonumber(ARGV[2]) then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('SREM', KEYS[3], ARGV[1])
return 1
`);
