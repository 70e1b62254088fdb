/**
 * Lua scripts run by Redis, so that a commit is one atomic step and a page loads in one
 * round trip. A component is a hash at `<prefix>c:<id>` (`t` type, `par` parent, `sc` scope
 * flag, `v` scope version, `dv` edit count of its collaborative document, and its JSON
 * fields) and, when it has children, a list of child ids at `<prefix>k:<id>`: inserting at
 * the front or the end is O(1) however long the list. A document's Yjs updates are a list
 * at `<prefix>y:<id>`.
 * `<prefix>expiry` is a sorted set of page ids by the time they may be deleted.
 */

const HELPERS = `
local prefix = ARGV[1]
local function ckey(id) return prefix .. 'c:' .. id end
local function kkey(id) return prefix .. 'k:' .. id end
local function ykey(id) return prefix .. 'y:' .. id end
local function pkey(id) return prefix .. 'p:' .. id end
`;

/**
 * ARGV: prefix, JSON commit request, patch log length, patch log TTL ms. Returns {1, id, version, ...}, {0, existingId} (name
 * taken), {2} (the event receipt is no longer held), {3} (the session has too many pages)
 * {4, id} (a component would hold more than maxChildren children), {5, scopeId} (a
 * scope in \`expect\` is at another version: the changes were computed from stale state)
 * or {6} (this commit, with this receipt, was applied before: sent again after its answer
 * was lost).
 */
export const COMMIT_SCRIPT = `${HELPERS}
local req = cjson.decode(ARGV[2])

-- every check comes before the first write: a refused commit changes nothing
local receiptKey
if type(req.receipt) == 'table' then
  receiptKey = prefix .. 'ev:' .. req.receipt.eventId
  local current = redis.call('GET', receiptKey)
  -- this very commit ran before (its answer was lost and the client sent it again)
  if current == 'done:' .. req.receipt.owner then return {6} end
  if current ~= 'run:' .. req.receipt.owner then return {2} end
end

if type(req.expect) == 'table' then
  for id, version in pairs(req.expect) do
    local v = redis.call('HMGET', ckey(id), 'sc', 'v')
    if v[1] ~= '1' or tonumber(v[2]) ~= version then return {5, id} end
  end
end

local nameKey
if type(req.claim) == 'table' then
  nameKey = prefix .. 'n:' .. req.claim.name
  local existing = redis.call('GET', nameKey)
  if existing and redis.call('EXISTS', ckey(existing)) == 1 then return {0, existing} end
end

local sessionKey
local gonePages = {}
if type(req.sessionPage) == 'table' then
  local sp = req.sessionPage
  sessionKey = prefix .. 'sp:' .. sp.session
  local listed = redis.call('ZRANGE', sessionKey, 0, -1)
  for _, id in ipairs(listed) do
    if redis.call('EXISTS', ckey(id)) == 0 then gonePages[#gonePages + 1] = id end
  end
  if #listed - #gonePages >= sp.max then return {3} end
end

local function deleteTree(id)
  local stack = {id}
  while #stack > 0 do
    local cid = table.remove(stack)
    local kids = redis.call('LRANGE', kkey(cid), 0, -1)
    redis.call('DEL', ckey(cid), kkey(cid), ykey(cid), pkey(cid))
    for _, kid in ipairs(kids) do
      local v = redis.call('HMGET', ckey(kid), 'sc', 'par')
      if v[1] == '0' and v[2] == cid then stack[#stack + 1] = kid end
    end
  end
end

local function insertChild(id, child, index)
  local k = kkey(id)
  redis.call('LREM', k, 1, child)
  local length = redis.call('LLEN', k)
  if index == 0 then
    redis.call('LPUSH', k, child)
  elseif index < 0 or index >= length then
    redis.call('RPUSH', k, child)
  else
    redis.call('LINSERT', k, 'BEFORE', redis.call('LINDEX', k, index), child)
  end
  local ck = ckey(child)
  if redis.call('HGET', ck, 'sc') == '0' then redis.call('HSET', ck, 'par', id) end
end

-- a component may not outgrow maxChildren: checked before anything changes
if type(req.maxChildren) == 'number' then
  local adding = {}
  for _, op in ipairs(req.ops) do
    if op.op == 'insert' then adding[op.id] = (adding[op.id] or 0) + 1 end
    if op.op == 'create' and #op.component.children > req.maxChildren then
      return {4, op.component.id}
    end
  end
  for id, n in pairs(adding) do
    if redis.call('LLEN', kkey(id)) + n > req.maxChildren then return {4, id} end
  end
end

if receiptKey then
  redis.call('SET', receiptKey, 'done:' .. req.receipt.owner, 'PX', req.receipt.doneTtlMs)
end
if nameKey then redis.call('SET', nameKey, req.claim.id) end
if sessionKey then
  if #gonePages > 0 then redis.call('ZREM', sessionKey, unpack(gonePages)) end
  redis.call('ZADD', sessionKey, 0, req.sessionPage.pageId)
  redis.call('PEXPIRE', sessionKey, 86400000)
end

for _, op in ipairs(req.ops) do
  local kind = op.op
  if kind == 'create' then
    local c = op.component
    local k = ckey(c.id)
    local version = redis.call('HGET', k, 'v') or '0'
    local parent = c.parent
    if type(parent) ~= 'string' then parent = '' end
    redis.call('DEL', k, kkey(c.id))
    local args = {'t', c.type, 'par', parent, 'sc', c.scope and '1' or '0', 'v', version}
    for f, val in pairs(c.fields) do
      args[#args + 1] = f
      args[#args + 1] = val
    end
    redis.call('HSET', k, unpack(args))
    if #c.children > 0 then redis.call('RPUSH', kkey(c.id), unpack(c.children)) end
  elseif redis.call('EXISTS', ckey(op.id)) == 1 then
    local k = ckey(op.id)
    if kind == 'set' then
      redis.call('HSET', k, op.field, op.value)
    elseif kind == 'unset' then
      redis.call('HDEL', k, op.field)
    elseif kind == 'insert' then
      insertChild(op.id, op.child, op.index)
    elseif kind == 'remove' then
      redis.call('LREM', kkey(op.id), 1, op.child)
      local ck = ckey(op.child)
      if redis.call('HGET', ck, 'par') == op.id then redis.call('HSET', ck, 'par', '') end
    elseif kind == 'scope' then
      redis.call('HSET', k, 'sc', '1', 'par', '')
    elseif kind == 'delete' then
      redis.call('ZREM', prefix .. 'expiry', op.id)
      -- a page leaves its session's page count (the session field is stored as JSON text)
      local session = redis.call('HGET', ckey(op.id), 'm:session')
      if session then
        local sk = prefix .. 'sp:' .. string.sub(session, 2, -2)
        redis.call('ZREM', sk, op.id)
        if redis.call('ZCARD', sk) == 0 then redis.call('DEL', sk) end
      end
      deleteTree(op.id)
    end
  end
end

local out = {1}
local bumped = {}
for _, id in ipairs(req.bump) do
  if not bumped[id] then
    local k = ckey(id)
    if redis.call('HGET', k, 'sc') == '1' then
      bumped[id] = redis.call('HINCRBY', k, 'v', 1)
      out[#out + 1] = id
      out[#out + 1] = bumped[id]
    else
      bumped[id] = false
    end
  end
end

-- the catch-up log: each patch under its scope's new version
if type(req.log) == 'table' then
  local keep, ttl = tonumber(ARGV[3]), tonumber(ARGV[4])
  for _, entry in ipairs(req.log) do
    local version = bumped[entry.scope]
    if version then
      local k = pkey(entry.scope)
      local body = string.sub(entry.body, 2)
      redis.call('ZADD', k, version, '{"s":"' .. entry.scope .. '","v":' .. version .. ',' .. body)
      redis.call('ZREMRANGEBYRANK', k, 0, -(keep + 1))
      redis.call('PEXPIRE', k, ttl)
    end
  end
end
return out
`;

/**
 * \`walk(roots, mode, read)\`: components from the roots down, breadth first, as
 * {{id, {field, value, ...}, {childId, ...}?}, ...}; the child list only where the mode
 * descends (see LoadMode). \`read\` holds hashes the caller has already read, by id.
 */
const WALK = `
local function walk(roots, mode, read)
  local isRoot, seen, queue, out = {}, {}, {}, {}
  for _, id in ipairs(roots) do
    queue[#queue + 1] = id
    isRoot[id] = true
  end
  local head = 1
  while head <= #queue do
    local id = queue[head]
    head = head + 1
    if not seen[id] then
      seen[id] = true
      local h = read[id] or redis.call('HGETALL', ckey(id))
      if #h > 0 then
        local sc
        for i = 1, #h, 2 do
          if h[i] == 'sc' then sc = h[i + 1] end
        end
        local descend = mode == 'tree' or (mode == 'page' and (sc ~= '1' or isRoot[id]))
        if descend then
          local kids = redis.call('LRANGE', kkey(id), 0, -1)
          out[#out + 1] = {id, h, kids}
          for _, kid in ipairs(kids) do queue[#queue + 1] = kid end
        else
          out[#out + 1] = {id, h}
        end
      end
    end
  end
  return out
end
`;

/**
 * ARGV: prefix, mode (self|page|tree), root ids...
 * Returns {{id, {field, value, ...}, {childId, ...}?}, ...} in breadth-first order; the child
 * list only where the mode descends.
 */
export const LOAD_SCRIPT = `${HELPERS}${WALK}
local roots = {}
for i = 3, #ARGV do roots[#roots + 1] = ARGV[i] end
return walk(roots, ARGV[2], {})
`;

/** ARGV: prefix, component id, update. Returns the log's length, 0 if no such component. */
export const APPEND_DOC_SCRIPT = `${HELPERS}
if redis.call('EXISTS', ckey(ARGV[2])) == 0 then return 0 end
redis.call('HINCRBY', ckey(ARGV[2]), 'dv', 1)
return redis.call('RPUSH', ykey(ARGV[2]), ARGV[3])
`;

/**
 * ARGV: prefix, component id, count, first update, merged update. Replaces the first
 * \`count\` entries by the merged one if the log still starts with \`first\`; 1 if it did.
 */
export const COMPACT_DOC_SCRIPT = `${HELPERS}
local k = ykey(ARGV[2])
local count = tonumber(ARGV[3])
if redis.call('LINDEX', k, 0) ~= ARGV[4] or redis.call('LLEN', k) < count then return 0 end
redis.call('LTRIM', k, count, -1)
redis.call('LPUSH', k, ARGV[5])
return 1
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

/** ARGV: prefix, event id, owner, ttl ms. Returns run, running or done. */
export const BEGIN_EVENT_SCRIPT = `${HELPERS}
local k = prefix .. 'ev:' .. ARGV[2]
local current = redis.call('GET', k)
if current and string.sub(current, 1, 5) == 'done:' then return 'done' end
if current and current ~= 'run:' .. ARGV[3] then return 'running' end
redis.call('SET', k, 'run:' .. ARGV[3], 'PX', ARGV[4])
return 'run'
`;

/** ARGV: prefix, event id, owner, ttl ms. */
export const RENEW_EVENT_SCRIPT = `${HELPERS}
local k = prefix .. 'ev:' .. ARGV[2]
if redis.call('GET', k) == 'run:' .. ARGV[3] then redis.call('PEXPIRE', k, ARGV[4]) end
return 1
`;

/** ARGV: prefix, event id, owner, applied (1/0), done ttl ms. */
export const END_EVENT_SCRIPT = `${HELPERS}
local k = prefix .. 'ev:' .. ARGV[2]
if redis.call('GET', k) ~= 'run:' .. ARGV[3] then return 0 end
if ARGV[4] == '1' then
  redis.call('SET', k, 'done:' .. ARGV[3], 'PX', ARGV[5])
else
  redis.call('DEL', k)
end
return 1
`;

/**
 * ARGV: prefix, page id. Returns {} if no such page, else {{scopeId, version, ...},
 * {m:session, m:shared}}: the versions of every scope the page shows, read without fields.
 */
export const PAGE_STATE_SCRIPT = `${HELPERS}
local root = ARGV[2]
local head = redis.call('HMGET', ckey(root), 't', 'm:session', 'm:shared')
if head[1] ~= 'WebPage' then return {} end
local versions, seen, queue, i = {}, {}, {root}, 1
while i <= #queue do
  local id = queue[i]
  i = i + 1
  if not seen[id] then
    seen[id] = true
    local v = redis.call('HMGET', ckey(id), 'sc', 'v')
    if v[1] == '1' then
      versions[#versions + 1] = id
      versions[#versions + 1] = v[2]
    end
    for _, kid in ipairs(redis.call('LRANGE', kkey(id), 0, -1)) do queue[#queue + 1] = kid end
  end
end
return {versions, {head[2] or '', head[3] or ''}}
`;

/**
 * ARGV: prefix, page id, known ETag ('' for none). Returns {} if no such page, else
 * {etag, {m:session, m:shared}} when the page's ETag is the known one, or
 * {etag, {m:session, m:shared}, records}: the page walked as LOAD_SCRIPT's tree mode
 * walks it, its own hash read once. The ETag is revisionEtag (revision.ts): two
 * 32-bit sums of words of each entry's SHA-1, so no sorting is needed.
 */
export const READ_PAGE_SCRIPT = `${HELPERS}${WALK}
local root = ARGV[2]
local rootHash = redis.call('HGETALL', ckey(root))
local head = {}
for j = 1, #rootHash, 2 do head[rootHash[j]] = rootHash[j + 1] end
if head['t'] ~= 'WebPage' then return {} end
local word = 4294967296
local high, low = 0, 0
local function add(entry)
  local hex = redis.sha1hex(entry)
  high = (high + tonumber(string.sub(hex, 1, 8), 16)) % word
  low = (low + tonumber(string.sub(hex, 9, 16), 16)) % word
end
local out = walk({root}, 'tree', {[root] = rootHash})
for _, record in ipairs(out) do
  local id, h = record[1], record[2]
  local sc, v, dv
  for j = 1, #h, 2 do
    local name = h[j]
    if name == 'sc' then sc = h[j + 1] elseif name == 'v' then v = h[j + 1] elseif name == 'dv' then dv = h[j + 1] end
  end
  if sc == '1' then add('s:' .. id .. '=' .. (v or '0')) end
  if dv then add('d:' .. id .. '=' .. dv) end
end
local etag = string.format('W/"%08x%08x"', high, low)
local access = {head['m:session'] or '', head['m:shared'] or ''}
if etag == ARGV[3] then return {etag, access} end
return {etag, access, out}
`;
