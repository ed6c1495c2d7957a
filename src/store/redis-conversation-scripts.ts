import { RedisScript } from './redis-connection.js';

/*
 * Lua scripts of RedisConversationStore. Each touches the keys of ONE conversation only
 * (they share a hash tag), so each is atomic on a single Redis and on Redis Cluster.
 *
 * Layout: `rec` is a string "<revision>|<record JSON>"; `outbox` a list of
 * "<item id>\n<item JSON>" (JSON.stringify never writes a raw newline); `lease` a hash
 * item id -> lease expiry; `seen` a sorted set of saved delivery keys scored by when they
 * are forgotten. Times are Redis server milliseconds, so instance clocks do not matter.
 */

const FIND_ITEM = `
local function find(list, id)
  local prefix = id .. '\\n'
  for _, entry in ipairs(redis.call('LRANGE', list, 0, -1)) do
    if string.sub(entry, 1, #prefix) == prefix then return entry end
  end
  return nil
end
local function server_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`;

const SEEN = `
local function seen(key, delivery, now)
  if delivery == '' then return false end
  local until_ms = redis.call('ZSCORE', key, delivery)
  return until_ms ~= false and until_ms ~= nil and tonumber(until_ms) > now
end
`;

/** KEYS rec, seen; ARGV deliveryKey ('' for none) → { "<revision>|<record JSON>" or false, 1 seen / 0 }. */
export const loadTurnScript = new RedisScript(`${FIND_ITEM}${SEEN}
local rec = redis.call('GET', KEYS[1])
if seen(KEYS[2], ARGV[1], server_ms()) then return { rec, 1 } end
return { rec, 0 }
`);

/**
 * KEYS rec, outbox, seen, lease; ARGV expectedRevision, revision, recordJson, ttlMs, deliveryKey ('' for none),
 * deliveryTtlMs, leaseMs ('' for none), items... → 1 saved, 3 saved with the new items leased to the caller
 * (asked for, and nothing older pending), 0 conflict, 2 the delivery was already saved.
 */
export const saveScript = new RedisScript(`${FIND_ITEM}${SEEN}
local now = server_ms()
if seen(KEYS[3], ARGV[5], now) then return 2 end
local current = redis.call('GET', KEYS[1])
local revision = 0
if current then revision = tonumber(string.match(current, '^(%d+)|')) end
if revision ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2] .. '|' .. ARGV[3], 'PX', ARGV[4])
local saved = 1
if #ARGV > 7 then
  if ARGV[7] ~= '' and redis.call('LLEN', KEYS[2]) == 0 then
    for i = 8, #ARGV do redis.call('HSET', KEYS[4], string.match(ARGV[i], '^([^\\n]*)'), now + tonumber(ARGV[7])) end
    redis.call('PEXPIRE', KEYS[4], ARGV[4])
    saved = 3
  end
  redis.call('RPUSH', KEYS[2], unpack(ARGV, 8, #ARGV))
end
if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[4]) end
if ARGV[5] ~= '' then
  local ttl = tonumber(ARGV[6])
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
  redis.call('ZADD', KEYS[3], now + ttl, ARGV[5])
  if redis.call('PTTL', KEYS[3]) < ttl then redis.call('PEXPIRE', KEYS[3], ttl) end
end
return saved
`);

/**
 * KEYS outbox, lease; ARGV itemId, leaseMs, ttlMs, renew ('1': the caller holds it and extends its lease)
 * → 1 claimed (or renewed), 0 gone or held by another.
 */
export const claimScript = new RedisScript(`${FIND_ITEM}
if not find(KEYS[1], ARGV[1]) then return 0 end
local now = server_ms()
local held = redis.call('HGET', KEYS[2], ARGV[1])
if held and tonumber(held) > now and ARGV[4] ~= '1' then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], now + tonumber(ARGV[2]))
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return 1
`);

/** KEYS outbox, lease; ARGV itemIds... → items left in the outbox. */
export const ackScript = new RedisScript(`${FIND_ITEM}
for _, id in ipairs(ARGV) do
  local entry = find(KEYS[1], id)
  if entry then redis.call('LREM', KEYS[1], 1, entry) end
  redis.call('HDEL', KEYS[2], id)
end
local left = redis.call('LLEN', KEYS[1])
if left == 0 then redis.call('DEL', KEYS[2]) end
return left
`);

/**
 * KEYS index; ARGV nowMs, conversationId. Marks a conversation as having outbox work.
 * The score always changes (at least +1), which is what lets `unmarkScript` tell a
 * mark made after it looked from the one it saw.
 */
export const markScript = new RedisScript(`
local score = tonumber(ARGV[1])
local current = redis.call('ZSCORE', KEYS[1], ARGV[2])
if current and tonumber(current) >= score then score = tonumber(current) + 1 end
redis.call('ZADD', KEYS[1], score, ARGV[2])
return 1
`);

/** KEYS index; ARGV conversationId, score seen → removes the mark only if nobody re-marked since. */
export const unmarkScript = new RedisScript(`
local current = redis.call('ZSCORE', KEYS[1], ARGV[1])
if current and tonumber(current) == tonumber(ARGV[2]) then return redis.call('ZREM', KEYS[1], ARGV[1]) end
return 0
`);

/**
 * KEYS outbox, lease, dead; ARGV itemId, "<letter JSON>\n<item JSON>", ttlMs, maxLetters, notice entry ('' for none)
 * → 1 moved, 0 the item is no longer in the outbox. The notice takes the item's place (LSET), so order is kept.
 * Dead entries are "<item id>\n<letter JSON>\n<item JSON>": the item's JSON is kept as written, for a replay.
 */
export const deadLetterScript = new RedisScript(`
local prefix = ARGV[1] .. '\\n'
local entries = redis.call('LRANGE', KEYS[1], 0, -1)
for index, entry in ipairs(entries) do
  if string.sub(entry, 1, #prefix) == prefix then
    if ARGV[5] ~= '' then
      redis.call('LSET', KEYS[1], index - 1, ARGV[5])
    else
      redis.call('LREM', KEYS[1], 1, entry)
    end
    redis.call('HDEL', KEYS[2], ARGV[1])
    redis.call('LPUSH', KEYS[3], prefix .. ARGV[2])
    redis.call('LTRIM', KEYS[3], 0, tonumber(ARGV[4]) - 1)
    redis.call('PEXPIRE', KEYS[3], ARGV[3])
    return 1
  end
end
return 0
`);

/** KEYS dead, outbox; ARGV itemId, ttlMs → 1 the item is back at the end of the outbox, 0 no such dead letter. */
export const replayScript = new RedisScript(`
local prefix = ARGV[1] .. '\\n'
for _, entry in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
  if string.sub(entry, 1, #prefix) == prefix then
    redis.call('LREM', KEYS[1], 1, entry)
    local item = string.match(entry, '^[^\\n]*\\n[^\\n]*\\n(.*)$')
    redis.call('RPUSH', KEYS[2], prefix .. item)
    redis.call('PEXPIRE', KEYS[2], ARGV[2])
    return 1
  end
end
return 0
`);
