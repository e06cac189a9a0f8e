/**
 * The two Lua scripts behind RedisUsageStore. Each runs atomically in Redis (no other command
 * interleaves), so any number of instances admitting at once never admit more than the limits allow.
 * Numbers go back as strings: Redis turns Lua numbers into integers and would drop USD fractions.
 *
 * Layout per client key (hash-tagged so one key's data stays together):
 *   req   hash epoch-second → requests admitted   (the rpm window, fields older than 60 s deleted)
 *   tok   hash epoch-second → tokens settled      (the tpm window)
 *   holds hash ticket id → "tokens usd expiresMs"  (admitted requests not yet settled; an instance
 *         killed mid-request leaves holds that expire instead of blocking the key for ever)
 *   day:YYYYMMDD / month:YYYYMM  hash tokens, usd (budgets; expire after their period)
 */

/**
 * KEYS: req, tok, holds, day, month.
 * ARGV: now ms, rpm, tpm, dayTokens, dayUsd, monthTokens, monthUsd (-1: no limit), ask tokens,
 * ask usd, ticket id, hold ms, seconds to the next UTC day, seconds to the next UTC month.
 * Returns {'ok', dayTokens, dayUsd, monthTokens, monthUsd} or {limit, max, used, held, retryAfter}.
 * The checks and their order are reservation.ts's `reserveIn`.
 */
export const RESERVE_LUA = `
local now = tonumber(ARGV[1])
local sec = math.floor(now / 1000)
local function window(key)
  local all = redis.call('HGETALL', key)
  local sum = 0
  local oldest = nil
  for i = 1, #all, 2 do
    local s = tonumber(all[i])
    if s <= sec - 60 then
      redis.call('HDEL', key, all[i])
    else
      local v = tonumber(all[i + 1])
      sum = sum + v
      if v > 0 and (oldest == nil or s < oldest) then oldest = s end
    end
  end
  local wait = 1
  if oldest ~= nil then wait = math.max(1, 60 - (sec - oldest)) end
  return sum, wait
end
local heldT, heldU = 0, 0
local hs = redis.call('HGETALL', KEYS[3])
for i = 1, #hs, 2 do
  local t, u, exp = string.match(hs[i + 1], '^(%S+) (%S+) (%S+)$')
  if exp == nil or tonumber(exp) <= now then
    redis.call('HDEL', KEYS[3], hs[i])
  else
    heldT = heldT + tonumber(t)
    heldU = heldU + tonumber(u)
  end
end
local dayT = tonumber(redis.call('HGET', KEYS[4], 'tokens') or '0')
local dayU = tonumber(redis.call('HGET', KEYS[4], 'usd') or '0')
local monT = tonumber(redis.call('HGET', KEYS[5], 'tokens') or '0')
local monU = tonumber(redis.call('HGET', KEYS[5], 'usd') or '0')
local rpm = tonumber(ARGV[2])
if rpm >= 0 then
  local n, wait = window(KEYS[1])
  if n >= rpm then return {'rpm', tostring(rpm), tostring(n), '0', tostring(wait)} end
end
local function check(limit, max, used, held, waitForPeriod)
  if max >= 0 and used + held >= max then
    local retry = 1
    if used >= max then retry = waitForPeriod end
    return {limit, tostring(max), tostring(used), tostring(held), tostring(retry)}
  end
  return nil
end
local tpm = tonumber(ARGV[3])
local r = nil
if tpm >= 0 then
  local used, wait = window(KEYS[2])
  r = check('tpm', tpm, used, heldT, wait)
end
r = r or check('dayTokens', tonumber(ARGV[4]), dayT, heldT, tonumber(ARGV[12]))
r = r or check('dayUsd', tonumber(ARGV[5]), dayU, heldU, tonumber(ARGV[12]))
r = r or check('monthTokens', tonumber(ARGV[6]), monT, heldT, tonumber(ARGV[13]))
r = r or check('monthUsd', tonumber(ARGV[7]), monU, heldU, tonumber(ARGV[13]))
if r then return r end
redis.call('HSET', KEYS[3], ARGV[10], ARGV[8] .. ' ' .. ARGV[9] .. ' ' .. tostring(now + tonumber(ARGV[11])))
redis.call('PEXPIRE', KEYS[3], 2 * tonumber(ARGV[11]))
redis.call('HINCRBY', KEYS[1], tostring(sec), 1)
redis.call('EXPIRE', KEYS[1], 120)
return {'ok', tostring(dayT), tostring(dayU), tostring(monT), tostring(monU)}
`

/**
 * KEYS: holds, tok, day, month. ARGV: ticket id ('' for a request admitted while Redis was away),
 * now ms, tokens, usd. Releases the hold and books the real usage to the window, the day and the month.
 */
export const SETTLE_LUA = `
if ARGV[1] ~= '' then redis.call('HDEL', KEYS[1], ARGV[1]) end
local tokens = tonumber(ARGV[3])
local usd = tonumber(ARGV[4])
if tokens > 0 then
  redis.call('HINCRBYFLOAT', KEYS[2], tostring(math.floor(tonumber(ARGV[2]) / 1000)), ARGV[3])
  redis.call('EXPIRE', KEYS[2], 120)
end
if tokens > 0 or usd > 0 then
  redis.call('HINCRBYFLOAT', KEYS[3], 'tokens', ARGV[3])
  redis.call('HINCRBYFLOAT', KEYS[3], 'usd', ARGV[4])
  redis.call('EXPIRE', KEYS[3], 3 * 86400)
  redis.call('HINCRBYFLOAT', KEYS[4], 'tokens', ARGV[3])
  redis.call('HINCRBYFLOAT', KEYS[4], 'usd', ARGV[4])
  redis.call('EXPIRE', KEYS[4], 40 * 86400)
end
return 1
`

/** KEYS: day, month. ARGV: day tokens, day usd, month tokens, month usd. Seeds a period only when no instance has yet. */
export const SEED_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], 'tokens', ARGV[1], 'usd', ARGV[2])
  redis.call('EXPIRE', KEYS[1], 3 * 86400)
end
if redis.call('EXISTS', KEYS[2]) == 0 then
  redis.call('HSET', KEYS[2], 'tokens', ARGV[3], 'usd', ARGV[4])
  redis.call('EXPIRE', KEYS[2], 40 * 86400)
end
return 1
`
