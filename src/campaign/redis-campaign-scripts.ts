import { RedisScript } from '../store/redis-connection.js';

/*
 * Lua scripts of RedisCampaignStore. Every campaign key carries the one hash tag
 * `{campaigns}`, so a script may take a pace slot and a customer together, atomically,
 * on a single Redis and on Cluster. Times are Redis server milliseconds (TIME), so the
 * instances' clocks do not matter for the pace.
 */

const SERVER_MS = `
local function server_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`;

/**
 * KEYS meta, queue, lease, cust, tries, paceCampaign, paceSlack, paceTeams
 * ARGV leaseMs, campaignIntervalMs, slackIntervalMs, teamsIntervalMs
 * → { 'go', id, customer JSON, attempt, now } | { 'wait', ms } | { 'idle' }
 *
 * A customer whose lease ran out (its instance died) comes first, then the queue. A
 * start needs the campaign's pace slot and that of every platform in the campaign to be
 * free; taking it moves each to now + interval, so two starts are never closer than that.
 */
export const claimScript = new RedisScript(`${SERVER_MS}
if redis.call('HGET', KEYS[1], 'state') ~= 'running' then return { 'idle' } end
local now = server_ms()
local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'LIMIT', 0, 1)[1]
if not expired and redis.call('LLEN', KEYS[2]) == 0 then
  local nextLease = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')[2]
  if not nextLease then
    redis.call('HSET', KEYS[1], 'state', 'done', 'finishedAt', now)
    return { 'idle' }
  end
  return { 'wait', tostring(math.max(tonumber(nextLease) - now, 1)) }
end
local platforms = redis.call('HGET', KEYS[1], 'platforms') or ''
local paces = { { KEYS[6], tonumber(ARGV[2]) } }
if string.find(platforms, 'slack', 1, true) then table.insert(paces, { KEYS[7], tonumber(ARGV[3]) }) end
if string.find(platforms, 'teams', 1, true) then table.insert(paces, { KEYS[8], tonumber(ARGV[4]) }) end
local free_at = 0
for _, pace in ipairs(paces) do free_at = math.max(free_at, tonumber(redis.call('GET', pace[1]) or '0')) end
if free_at > now then return { 'wait', tostring(free_at - now) } end
for _, pace in ipairs(paces) do redis.call('SET', pace[1], now + pace[2], 'PX', pace[2] + 60000) end
local id = expired or redis.call('LPOP', KEYS[2])
redis.call('ZADD', KEYS[3], now + tonumber(ARGV[1]), id)
local attempt = redis.call('HINCRBY', KEYS[5], id, 1)
return { 'go', id, redis.call('HGET', KEYS[4], id), tostring(attempt), tostring(now) }
`);

/** KEYS lease, out, member; ARGV id, outcome JSON, campaign name, started (1/0), retentionMs */
export const completeScript = new RedisScript(`
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
if ARGV[4] == '1' then redis.call('SET', KEYS[3], ARGV[3], 'PX', ARGV[5]) end
return 1
`);

/** KEYS lease, queue, paceSlack or paceTeams; ARGV id, backoffMs. First in line again; the platform waits backoffMs. */
export const releaseScript = new RedisScript(`${SERVER_MS}
if redis.call('ZREM', KEYS[1], ARGV[1]) == 1 then redis.call('LPUSH', KEYS[2], ARGV[1]) end
local backoff = tonumber(ARGV[2])
if backoff > 0 then
  local until_ms = server_ms() + backoff
  if tonumber(redis.call('GET', KEYS[3]) or '0') < until_ms then redis.call('SET', KEYS[3], until_ms, 'PX', backoff + 60000) end
end
return 1
`);

/** KEYS meta; ARGV new state. running ⇄ paused, running|paused → stopped. */
export const setStateScript = new RedisScript(`
local state = redis.call('HGET', KEYS[1], 'state')
local wanted = ARGV[1]
if state == 'running' or state == 'paused' then
  if wanted == 'stopped' or (wanted == 'running' and state == 'paused') or (wanted == 'paused' and state == 'running') then
    redis.call('HSET', KEYS[1], 'state', wanted)
    return 1
  end
end
return 0
`);
