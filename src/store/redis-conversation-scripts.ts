import { DELIVERY_MARKS } from './conversation-store.js';
import { RedisScript } from './redis-connection.js';

/*
 * Lua scripts of RedisConversationStore. Each touches the keys of ONE conversation only
 * (they share a hash tag), so each is atomic on a single Redis and on Redis Cluster.
 *
 * Layout: `rec` is a string "<revision>|<record JSON>", the JSON opening with the delivery
 * marks, `{"d":"<mark> <mark>…",…`, each "<12-character digest>.<forget-at ms, base 36>"
 * (at most DELIVERY_MARKS, the newest); `outbox` a list of
 * "<item id>\n<item JSON>" (JSON.stringify never writes a raw newline); `lease` a hash
 * item id -> lease expiry (Redis server milliseconds, so instance clocks do not matter).
 * `seen` is the format before: a sorted set of 16-character delivery digests scored by
 * when they are forgotten; it is still read, and folded into the record's marks.
 */

const FIND_ITEM = `
local function find(list, id)
  local prefix = id .. '\\n'
  for _, entry in ipairs(redis.call('LRANGE', list, 0, -1)) do
    if string.sub(entry, 1, #prefix) == prefix then return entry end
  end
  return nil
end
local function base36(n)
  local digits, out = '0123456789abcdefghijklmnopqrstuvwxyz', ''
  n = math.floor(n)
  repeat
    local d = n % 36
    out = string.sub(digits, d + 1, d + 1) .. out
    n = math.floor(n / 36)
  until n == 0
  return out
end
local function server_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`;

/**
 * KEYS rec, outbox, lease, seen (the format before), [index: not on Cluster]; ARGV expectedRevision, revision,
 * recordJson, ttlMs, mark digest ('' for none), its forget-at (base 36), now (ms), leaseMs ('' for none),
 * index score, conversationId, items... → 1 saved, 3 saved with the new items leased to the caller (asked for, and nothing older
 * pending), 0 conflict, 2 the delivery was already saved. The marks change only with the
 * revision, so the compare-and-set also keeps two saves of one delivery from both winning.
 */
export const saveScript = new RedisScript(`${FIND_ITEM}
local current = redis.call('GET', KEYS[1])
local revision, marks, kept = 0, nil, {}
if current then
  revision = tonumber(string.match(current, '^(%d+)|'))
  marks = string.match(current, '^%d+|{"d":"([^"]*)"')
end
local now = tonumber(ARGV[7])
local legacy = current and not marks
if legacy then
  -- Saved by the format before: its marks are in the seen set, folded in once and the set dropped.
  local folded = {}
  local old = redis.call('ZRANGEBYSCORE', KEYS[4], now, '+inf', 'WITHSCORES')
  for i = 1, #old, 2 do table.insert(folded, string.sub(old[i], 1, 12) .. '.' .. base36(tonumber(old[i + 1]))) end
  marks = table.concat(folded, ' ')
end
for digest, until36 in string.gmatch(marks or '', '([^ .]+)%.(%w+)') do
  if tonumber(until36, 36) > now then
    if digest == ARGV[5] then return 2 end
    table.insert(kept, digest .. '.' .. until36)
  end
end
if revision ~= tonumber(ARGV[1]) then return 0 end
if ARGV[5] ~= '' then table.insert(kept, ARGV[5] .. '.' .. ARGV[6]) end
while #kept > ${DELIVERY_MARKS} do table.remove(kept, 1) end
redis.call('SET', KEYS[1], ARGV[2] .. '|{"d":"' .. table.concat(kept, ' ') .. '",' .. string.sub(ARGV[3], 2), 'PX', ARGV[4])
if legacy then redis.call('DEL', KEYS[4]) end
local saved = 1
if #ARGV > 10 then
  -- Not on Cluster (another slot): there the store sends this ZADD beside the script.
  if KEYS[5] then redis.call('ZADD', KEYS[5], ARGV[9], ARGV[10]) end
  local length = redis.call('RPUSH', KEYS[2], unpack(ARGV, 11, #ARGV))
  if ARGV[8] ~= '' and length == #ARGV - 10 then
    -- No PEXPIRE: the ack deletes the hash, and a claim (the sweeper's, after a crash) sets one.
    local until_ms, fields = server_ms() + tonumber(ARGV[8]), {}
    for i = 11, #ARGV do
      table.insert(fields, string.match(ARGV[i], '^([^\\n]*)'))
      table.insert(fields, until_ms)
    end
    redis.call('HSET', KEYS[3], unpack(fields))
    saved = 3
  end
end
redis.call('PEXPIRE', KEYS[2], ARGV[4])
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

/**
 * KEYS outbox, lease, [index: not on Cluster]; ARGV index score ('' for none), conversationId, itemIds...
 * → items left in the outbox. When they are the whole outbox (a turn acknowledging what its
 * save leased to it), one LRANGE and one DEL; with an index and a score, the index entry goes
 * too if the outbox is empty and the entry still has that score (nobody marked it since).
 */
export const ackScript = new RedisScript(`${FIND_ITEM}
local function unmark()
  if KEYS[3] and ARGV[1] ~= '' and tonumber(redis.call('ZSCORE', KEYS[3], ARGV[2])) == tonumber(ARGV[1]) then
    redis.call('ZREM', KEYS[3], ARGV[2])
  end
end
local entries = redis.call('LRANGE', KEYS[1], 0, -1)
if #entries == #ARGV - 2 then
  local acked = {}
  for i = 3, #ARGV do acked[ARGV[i]] = true end
  local all = true
  for _, entry in ipairs(entries) do
    if not acked[string.match(entry, '^([^\\n]*)')] then all = false end
  end
  if all then
    redis.call('DEL', KEYS[1], KEYS[2])
    unmark()
    return 0
  end
end
for i = 3, #ARGV do
  local entry = find(KEYS[1], ARGV[i])
  if entry then redis.call('LREM', KEYS[1], 1, entry) end
  redis.call('HDEL', KEYS[2], ARGV[i])
end
local left = redis.call('LLEN', KEYS[1])
if left == 0 then
  redis.call('DEL', KEYS[2])
  unmark()
end
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
