/**
 * Lua scripts run by Redis, so that a commit is one atomic step and a page loads in one
 * round trip. A component is a hash at `<prefix>c:<id>`: `t` type, `par` parent, `kids`
 * space-separated child ids, `sc` scope flag, `v` scope version, and its JSON fields.
 */

const HELPERS = `
local prefix = ARGV[1]
local function ckey(id) return prefix .. 'c:' .. id end
local function split(s)
  local t = {}
  for w in string.gmatch(s or '', '%S+') do t[#t + 1] = w end
  return t
end
`;

/** ARGV: prefix, JSON commit request. Returns {1, id, version, ...} or {0, existingId}. */
export const COMMIT_SCRIPT = `${HELPERS}
local req = cjson.decode(ARGV[2])

if type(req.claim) == 'table' then
  local nkey = prefix .. 'n:' .. req.claim.name
  local existing = redis.call('GET', nkey)
  if existing and redis.call('EXISTS', ckey(existing)) == 1 then return {0, existing} end
  redis.call('SET', nkey, req.claim.id)
end

local function deleteTree(id)
  local stack = {id}
  while #stack > 0 do
    local cid = table.remove(stack)
    local k = ckey(cid)
    local kids = split(redis.call('HGET', k, 'kids'))
    redis.call('DEL', k)
    for _, kid in ipairs(kids) do
      local v = redis.call('HMGET', ckey(kid), 'sc', 'par')
      if v[1] == '0' and v[2] == cid then stack[#stack + 1] = kid end
    end
  end
end

for _, op in ipairs(req.ops) do
  local kind = op.op
  if kind == 'create' then
    local c = op.component
    local k = ckey(c.id)
    local version = redis.call('HGET', k, 'v') or '0'
    local parent = c.parent
    if type(parent) ~= 'string' then parent = '' end
    redis.call('DEL', k)
    local args = {'t', c.type, 'par', parent, 'kids', table.concat(c.children, ' '),
      'sc', c.scope and '1' or '0', 'v', version}
    for f, val in pairs(c.fields) do
      args[#args + 1] = f
      args[#args + 1] = val
    end
    redis.call('HSET', k, unpack(args))
  else
    local k = ckey(op.id)
    if redis.call('EXISTS', k) == 1 then
      if kind == 'set' then
        redis.call('HSET', k, op.field, op.value)
      elseif kind == 'unset' then
        redis.call('HDEL', k, op.field)
      elseif kind == 'insert' or kind == 'remove' then
        local kids = split(redis.call('HGET', k, 'kids'))
        for i = 1, #kids do
          if kids[i] == op.child then
            table.remove(kids, i)
            break
          end
        end
        local ck = ckey(op.child)
        if kind == 'insert' then
          if op.index < 0 or op.index > #kids then
            kids[#kids + 1] = op.child
          else
            table.insert(kids, op.index + 1, op.child)
          end
          if redis.call('HGET', ck, 'sc') == '0' then redis.call('HSET', ck, 'par', op.id) end
        elseif redis.call('HGET', ck, 'par') == op.id then
          redis.call('HSET', ck, 'par', '')
        end
        redis.call('HSET', k, 'kids', table.concat(kids, ' '))
      elseif kind == 'scope' then
        redis.call('HSET', k, 'sc', '1', 'par', '')
      elseif kind == 'delete' then
        deleteTree(op.id)
      end
    end
  end
end

local out = {1}
local bumped = {}
for _, id in ipairs(req.bump) do
  if not bumped[id] then
    bumped[id] = true
    local k = ckey(id)
    if redis.call('HGET', k, 'sc') == '1' then
      out[#out + 1] = id
      out[#out + 1] = redis.call('HINCRBY', k, 'v', 1)
    end
  end
end
return out
`;

/** ARGV: prefix, mode (self|page|tree), root ids... Returns {{id, {field, value, ...}}, ...}. */
export const LOAD_SCRIPT = `${HELPERS}
local mode = ARGV[2]
local isRoot, seen, queue, out = {}, {}, {}, {}
for i = 3, #ARGV do
  queue[#queue + 1] = ARGV[i]
  isRoot[ARGV[i]] = true
end
local head = 1
while head <= #queue do
  local id = queue[head]
  head = head + 1
  if not seen[id] then
    seen[id] = true
    local h = redis.call('HGETALL', ckey(id))
    if #h > 0 then
      out[#out + 1] = {id, h}
      if mode ~= 'self' then
        local sc, kids
        for i = 1, #h, 2 do
          if h[i] == 'sc' then sc = h[i + 1] elseif h[i] == 'kids' then kids = h[i + 1] end
        end
        if not (mode == 'page' and sc == '1' and not isRoot[id]) then
          for _, kid in ipairs(split(kids)) do queue[#queue + 1] = kid end
        end
      end
    end
  end
end
return out
`;

/** ARGV: prefix, name, owner, ttl ms. Returns 1 if owner holds the lease afterwards. */
export const ACQUIRE_LEASE_SCRIPT = `${HELPERS}
local k = prefix .. 'l:' .. ARGV[2]
local current = redis.call('GET', k)
if current and current ~= ARGV[3] then return 0 end
redis.call('SET', k, ARGV[3], 'PX', ARGV[4])
return 1
`;

/** ARGV: prefix, name, owner. */
export const RELEASE_LEASE_SCRIPT = `${HELPERS}
local k = prefix .. 'l:' .. ARGV[2]
if redis.call('GET', k) == ARGV[3] then redis.call('DEL', k) end
return 1
`;
