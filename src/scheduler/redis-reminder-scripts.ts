import { RedisScript } from '../store/redis-connection.js';

/*
 * Lua scripts of RedisReminderScheduler. KEYS are always one shard's (they share the hash
 * tag `{rem:<n>}`, so each script is atomic on Cluster too):
 *
 * - `q`: the reminders, a sorted set of "<conversationId>\n<reminderId>" scored by dueAt while
 *   waiting and by the lease's expiry while claimed (a claim never acknowledged comes due
 *   again). That one member is all a waiting reminder costs: the runner rebuilds the
 *   conversation key from the id (conversationKeyOf) and the dueAt is the score.
 * - `claimed`: member -> dueAt, only while claimed (the score then holds the lease), so an
 *   ack or a replayed schedule can tell the claimed entry. Empty, hence absent, when parked.
 *
 * The format before this one (kept readable for an upgrade): `due` (same members and
 * scores), `jobs` (member -> {"key":…,"dueAt":…}) and `conv:<conversationId>` (a set of the
 * conversation's members). A new key name for the new set keeps instances still on the old
 * code, during a rolling deploy, from dropping new entries (their claim drops a member with
 * no `jobs` entry).
 */

/** KEYS q, claimed; ARGV member, dueAt → 1 (re)scheduled, 0 the same entry is already there (its lease kept). */
export const scheduleScript = new RedisScript(`
local claimed = redis.call('HGET', KEYS[2], ARGV[1])
if claimed then
  if tonumber(claimed) == tonumber(ARGV[2]) then return 0 end
  redis.call('HDEL', KEYS[2], ARGV[1])
end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
return 1
`);

/**
 * KEYS q, claimed, due, jobs, conv (the old format's, see above); ARGV all ('1': every
 * old-format member of the conversation too, from `conv`), members… → removes them in both formats.
 */
export const cancelScript = new RedisScript(`
local members = {}
for i = 2, #ARGV do table.insert(members, ARGV[i]) end
if ARGV[1] == '1' then
  for _, member in ipairs(redis.call('SMEMBERS', KEYS[5])) do table.insert(members, member) end
end
if #members == 0 then return 0 end
redis.call('ZREM', KEYS[1], unpack(members))
redis.call('HDEL', KEYS[2], unpack(members))
if redis.call('HDEL', KEYS[4], unpack(members)) > 0 then
  redis.call('ZREM', KEYS[3], unpack(members))
  redis.call('SREM', KEYS[5], unpack(members))
end
return 1
`);

/**
 * KEYS q, claimed; ARGV now, limit, leaseMs → member, dueAt, member, dueAt…, each now leased
 * until now + leaseMs (re-scored; its dueAt kept in `claimed`).
 */
export const claimDueScript = new RedisScript(`
local now = tonumber(ARGV[1])
local claimed = {}
for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))) do
  table.insert(claimed, member)
end
for i = 1, #claimed, 2 do
  local dueAt = redis.call('HGET', KEYS[2], claimed[i])
  if not dueAt then
    dueAt = claimed[i + 1]
    redis.call('HSET', KEYS[2], claimed[i], dueAt)
  end
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), claimed[i])
  claimed[i + 1] = dueAt
end
return claimed
`);

/** KEYS q, claimed; ARGV member, dueAt → removes the entry only if it is still that one (claimed or waiting). */
export const ackScript = new RedisScript(`
local dueAt = redis.call('HGET', KEYS[2], ARGV[1]) or redis.call('ZSCORE', KEYS[1], ARGV[1])
if not dueAt or tonumber(dueAt) ~= tonumber(ARGV[2]) then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return 1
`);

/**
 * The upgrade: KEYS q, due, jobs (old format); ARGV now, limit → moves up to `limit` old
 * entries that are due (a waiting one, or one whose old-format lease ran out) into `q` at
 * their dueAt, unless `q` already holds that member (a newer schedule), and takes each out
 * of its conversation's old `conv:<id>` set (same shard, same slot; the set goes with its
 * last member). Returns how many were moved.
 */
export const adoptOldScript = new RedisScript(`
local moved = 0
local conv_prefix = string.sub(KEYS[3], 1, -5) .. 'conv:'
for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))) do
  local entry = redis.call('HGET', KEYS[3], member)
  if entry then
    redis.call('ZADD', KEYS[1], 'NX', string.format('%.0f', cjson.decode(entry).dueAt), member)
    redis.call('HDEL', KEYS[3], member)
    moved = moved + 1
  end
  redis.call('ZREM', KEYS[2], member)
  redis.call('SREM', conv_prefix .. string.match(member, '^(.*)\\n[^\\n]*$'), member)
end
return moved
`);
