"""The Lua scripts that make a worker's steps atomic in Redis (a script runs alone).

Worker entries are "busy:T" or "idle:T", T the Redis clock in seconds at the last heartbeat;
an entry older than the worker timeout belongs to a worker that died (SIGKILL, power cut): it
is reaped and counted in the run's `lost`. A worker that was only late (a starved process) and
finds its entry reaped when it next writes it takes its loss back: it is alive, it lost nothing.
"""

# Write this worker's entry; if it had been reaped, it was late, not dead. KEYS[1] workers,
# KEYS[2] lost; ARGV[2] worker id, ARGV[3] its state.
_HEARTBEAT = """
if redis.call('HSET', KEYS[1], ARGV[2], ARGV[3] .. ':' .. redis.call('TIME')[1]) == 1 then
  redis.call('DECR', KEYS[2])
end
"""

# Reap the dead entries of a workers hash. KEYS[1] workers, KEYS[2] lost; ARGV[1] timeout.
_REAP = """
local now = tonumber(redis.call('TIME')[1])
local entries = redis.call('HGETALL', KEYS[1])
local busy = 0
for i = 1, #entries, 2 do
  local state, t = string.match(entries[i + 1], '^(%a+):(%d+)$')
  if now - tonumber(t) > tonumber(ARGV[1]) then
    redis.call('HDEL', KEYS[1], entries[i])
    redis.call('INCR', KEYS[2])
  elseif state == 'busy' then
    busy = busy + 1
  end
end
"""

# Join the current run or start a new one. KEYS: run pointer, items, workers of the expected
# current run ("" if none), its lost, workers of the new run. ARGV: timeout, expected current
# run, worker id, new run key, begin message, end message of a dead current run.
# Returns {run, created}, or {'', 0} when the pointer changed meanwhile (try again).
JOIN = (
    """
local current = redis.call('GET', KEYS[1]) or ''
if current ~= ARGV[2] then return {'', 0} end
local now = redis.call('TIME')[1]
if current ~= '' then
"""
    + _REAP.replace("KEYS[1]", "KEYS[3]").replace("KEYS[2]", "KEYS[4]")
    + """
  if redis.call('HLEN', KEYS[3]) > 0 then
    redis.call('HSET', KEYS[3], ARGV[3], 'busy:' .. now)
    return {current, 0}
  end
  redis.call('LPUSH', KEYS[2], ARGV[6])
end
redis.call('SET', KEYS[1], ARGV[4])
redis.call('HSET', KEYS[5], ARGV[3], 'busy:' .. now)
redis.call('LPUSH', KEYS[2], ARGV[5])
return {ARGV[4], 1}
"""
)

# The frontier's census. KEYS: workers, lost, requests. ARGV: timeout, worker id, own state.
# Returns {queued requests, busy workers (this one included)}.
CENSUS = (
    _HEARTBEAT
    + _REAP
    + """
return {redis.call('ZCARD', KEYS[3]), busy}
"""
)

# Take the best request and mark this worker busy in one step, so that no other worker sees
# an empty queue and an idle frontier while the request is on its way. KEYS: workers, lost,
# requests. ARGV: (unused), worker id, "busy".
POP = (
    """
local found = redis.call('ZRANGE', KEYS[3], 0, 0)
if #found == 0 then return false end
redis.call('ZREMRANGEBYRANK', KEYS[3], 0, 0)
"""
    + _HEARTBEAT
    + """
return found[1]
"""
)

# Move the run to its next phase if it is still in ARGV[1]. KEYS[1] phase.
NEXT_PHASE = """
if (redis.call('GET', KEYS[1]) or '0') ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], tonumber(ARGV[1]) + 1)
return 1
"""

# Leave the run. KEYS: workers, lost, run pointer. ARGV: timeout, worker id, run key.
# Returns {1, lost} for the run's last worker (the run pointer is then removed), else {0, 0}.
LEAVE = (
    """
redis.call('HDEL', KEYS[1], ARGV[2])
"""
    + _REAP
    + """
if redis.call('HLEN', KEYS[1]) > 0 then return {0, 0} end
if redis.call('GET', KEYS[3]) == ARGV[3] then redis.call('DEL', KEYS[3]) end
return {1, tonumber(redis.call('GET', KEYS[2]) or '0')}
"""
)
