/**
 * Lua scripts of the Redis store (see `redis-layout.ts` for the keys). Every script works on
 * the keys of one scope, all given in `KEYS` (one Redis Cluster hash slot), and builds no
 * key name itself. Values arrive as flat strings: no script decodes JSON.
 *
 * A scope is two hashes: the head (the scope's own record: `t` type, `v` version, `k` child
 * ids, `x` other scopes shown inside it, `de` document edits in the scope, `dv` edits of its
 * own document, `f` fence, and its fields such as `p:text`) and the inside (every other
 * component of the scope, field `<id>|<name>`, with `<id>|dv` for its document's edits).
 * Child ids are one space-separated string, edited in place.
 */

/**
 * The step of a commit on one scope.
 * KEYS: head, inside, log, receipt, plan.
 * ARGV: mode (one|main|part|fence), owner, done ttl ms, expected version ('' none), fence
 * token ('' none), fence ttl ms, bump (1|0), log body ('' none), scope id, log keep,
 * max children, plan ('' none), max bytes ('' none), then the operations:
 *   S where field value | U where field | C where prefix n name value... |
 *   I where prefix child index | R where prefix child | D where n field...
 * (`where` is h for the head, i for the inside; `prefix` is '' or '<id>|').
 * Modes: `check` only runs the checks; `one` applies a commit of one scope with its receipt; `main` also stores the plan
 * of the other scopes' steps; `part` is one of those steps (skipped if its receipt exists);
 * `fence` only checks the expected version and fences the scope for the commit's token.
 * Returns {1, version, bytes} (version -1: not raised; bytes: the scope's count after), {5} conflict, {2} receipt lost,
 * {6} already applied (replayed), {4, id} too many children, {7} part already applied,
 * {8, scope} the scope would hold more than max bytes.
 * The head's \`b\` counts the bytes the scope's components hold (\`componentBytes\` in store.ts:
 * name and value of every field, type and child list); each step that applies keeps it
 * exact from the old and new values of the fields it writes, and a step that would raise it
 * past max bytes is refused (in \`check\` and \`fence\` modes too, which then run the
 * operations without writing them). A part of a decided commit applies whatever its size.
 * The operations run on a copy of the fields they read or write, each field read at most
 * once (the head's with the checks, those an operation needs in one HMGET); the writes go
 * at the end, one HDEL and one HSET per hash, in an order that leaves the fields of a hash
 * in the order one write at a time would have left them.
 */
export const STEP_SCRIPT = `
local head, inside, logKey, receiptKey, planKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local mode, owner, doneTtl = ARGV[1], ARGV[2], ARGV[3]
local expect, token, fenceTtl = ARGV[4], ARGV[5], ARGV[6]
local bump, body, scope = ARGV[7] == '1', ARGV[8], ARGV[9]
local keep, maxChildren, plan = tonumber(ARGV[10]), tonumber(ARGV[11]), ARGV[12]
local maxBytes = tonumber(ARGV[13])

local ops, i = {}, 14
while i <= #ARGV do
  local code = ARGV[i]
  local op = {code = code, key = ARGV[i + 1] == 'h' and head or inside}
  if code == 'S' then
    op.field, op.value = ARGV[i + 2], ARGV[i + 3]
    i = i + 4
  elseif code == 'U' then
    op.field = ARGV[i + 2]
    i = i + 3
  elseif code == 'C' then
    op.prefix = ARGV[i + 2]
    local n = tonumber(ARGV[i + 3])
    op.pairs = {}
    for j = 1, 2 * n do op.pairs[j] = ARGV[i + 3 + j] end
    i = i + 4 + 2 * n
  elseif code == 'I' then
    op.prefix, op.child, op.index = ARGV[i + 2], ARGV[i + 3], tonumber(ARGV[i + 4])
    i = i + 5
  elseif code == 'R' then
    op.prefix, op.child = ARGV[i + 2], ARGV[i + 3]
    i = i + 4
  elseif code == 'D' then
    local n = tonumber(ARGV[i + 2])
    op.fields = {}
    for j = 1, n do op.fields[j] = ARGV[i + 2 + j] end
    i = i + 3 + n
  else
    return redis.error_reply('unknown store operation ' .. tostring(code))
  end
  ops[#ops + 1] = op
end

-- every check comes before the first write: a refused step changes nothing
if owner ~= '' and mode == 'part' then
  if redis.call('EXISTS', receiptKey) == 1 then return {7} end
elseif owner ~= '' and (mode == 'one' or mode == 'main') then
  do
    local current = redis.call('GET', receiptKey)
    if current == 'done:' .. owner then return {6} end
    if current ~= 'run:' .. owner then return {2} end
  end
end

-- what the step knows of the fields of its two hashes: a value, false when the field is
-- absent, nil when not read yet; read fetches the unknown ones in one HMGET
local known = {[head] = {}, [inside] = {}}
-- the head is deleted before it is written (a creation of the scope root): a field not
-- written since is absent
local wiped = false

-- Redis commands take at most this many arguments from one unpack (Lua's stack limit is
-- 8000); longer lists go in several commands
local CHUNK = 4000
local function chunked(command, key, list)
  local replies = {}
  for from = 1, #list, CHUNK do
    local reply = redis.call(command, key, unpack(list, from, math.min(from + CHUNK - 1, #list)))
    if type(reply) == 'table' then
      for _, value in ipairs(reply) do replies[#replies + 1] = value end
    end
  end
  return replies
end

local function read(key, names)
  local cache, missing = known[key], {}
  if not (wiped and key == head) then
    for _, name in ipairs(names) do
      if cache[name] == nil then missing[#missing + 1] = name end
    end
  end
  if #missing > 0 then
    local got = chunked('HMGET', key, missing)
    for j, name in ipairs(missing) do cache[name] = got[j] end
  end
  local values = {}
  for j, name in ipairs(names) do values[j] = cache[name] or false end
  return values
end

-- the fields a step needs from the head beside its checks come with them: the root's child
-- list if the step edits it, and the scopes shown inside if it may change them
local applying = mode == 'one' or mode == 'main' or mode == 'part'
local wantList, wantShown = false, false
for _, op in ipairs(ops) do
  local code = op.code
  if (code == 'I' or code == 'R') and op.key == head and op.prefix == '' then
    if applying or (code == 'I' and maxChildren and mode ~= 'part') then wantList = true end
  end
  if applying and (code == 'I' or code == 'R' or code == 'D' or code == 'C') then
    wantShown = true
  end
end
local stateFields = {'t', 'v', 'f', 'b'}
if wantList then stateFields[#stateFields + 1] = 'k' end
if wantShown then stateFields[#stateFields + 1] = 'x' end
local state = redis.call('HMGET', head, unpack(stateFields))
for j, name in ipairs(stateFields) do known[head][name] = state[j] end

local exists, version = state[1] ~= false, tonumber(state[2]) or 0
if expect ~= '' and (not exists or version ~= tonumber(expect)) then return {5} end
-- a scope fenced by another commit takes no write until that commit is done; a check of
-- the child limit only reads
if state[3] and mode ~= 'check' then
  local fenceToken, deadline = string.match(state[3], '^(%S+) (%d+)$')
  local now = redis.call('TIME')
  local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
  if fenceToken ~= token and tonumber(deadline) > nowMs then return {5} end
end

local function childCount(list)
  if not list or list == '' then return 0 end
  local _, spaces = string.gsub(list, ' ', '')
  return spaces + 1
end

-- a part of a commit already decided applies as it is (its limits were checked before)
if maxChildren and mode ~= 'part' then
  local adding = {}
  for _, op in ipairs(ops) do
    if op.code == 'I' then
      local k = op.key .. '\\0' .. op.prefix
      adding[k] = (adding[k] or 0) + 1
    elseif op.code == 'C' then
      for j = 1, #op.pairs, 2 do
        if op.pairs[j] == 'k' and childCount(op.pairs[j + 1]) > maxChildren then
          return {4, op.prefix == '' and scope or string.sub(op.prefix, 1, -2)}
        end
      end
    end
  end
  for k, n in pairs(adding) do
    local key, prefix = string.match(k, '^(.-)%z(.*)$')
    -- the parent's type comes along: the insert needs it (nothing is written yet, so what
    -- is read here is what the operations start from)
    if childCount(read(key, {prefix .. 't', prefix .. 'k'})[2]) + n > maxChildren then
      return {4, prefix == '' and scope or string.sub(prefix, 1, -2)}
    end
  end
end

local function fence()
  local now = redis.call('TIME')
  local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
  redis.call('HSET', head, 'f', token .. ' ' .. (nowMs + tonumber(fenceTtl)))
  return {1, -1}
end

-- the byte count is kept by every step that applies, and checked by a check or fence step
-- only when the commit has a budget
local accounting = applying or (maxBytes ~= nil and (mode == 'check' or mode == 'fence'))
if not accounting then
  if mode == 'check' then return {1, -1} end
  if mode == 'fence' then return fence() end
end
-- the fields the operations write, read in one HMGET per hash: the byte count needs the
-- values they replace (a step that creates its scope starts the count afresh: what it
-- writes inside is new)
do
  local wanted = {[head] = {}, [inside] = {}}
  local creating = false
  for _, op in ipairs(ops) do
    if op.code == 'C' and op.key == head then creating = true end
  end
  for _, op in ipairs(ops) do
    local names = wanted[op.key]
    if op.code == 'S' or op.code == 'U' then
      names[#names + 1] = op.field
    elseif op.code == 'C' and op.key == inside then
      for j = 1, #op.pairs, 2 do names[#names + 1] = op.prefix .. op.pairs[j] end
    elseif op.code == 'I' or op.code == 'R' then
      names[#names + 1] = op.prefix .. 't'
      names[#names + 1] = op.prefix .. 'k'
    elseif op.code == 'D' then
      for _, field in ipairs(op.fields) do wanted[inside][#wanted[inside] + 1] = field end
    end
  end
  read(head, wanted[head])
  if not creating then read(inside, wanted[inside]) end
end

local function withoutChild(list, child)
  local padded = ' ' .. list .. ' '
  local at = string.find(padded, ' ' .. child .. ' ', 1, true)
  if not at then return list, false end
  local rest = string.sub(padded, 1, at) .. string.sub(padded, at + #child + 2)
  return string.sub(rest, 2, -2), true
end

-- other scopes shown inside this one (x lists each once per place it is shown); whether a
-- child is another scope is known once every operation ran (a new child may come later)
local shownEdits = {}
local function editShown(child, add)
  shownEdits[#shownEdits + 1] = {child, add}
end

local function withChild(list, child, index)
  if list == '' then return child end
  if index == 0 then return child .. ' ' .. list end
  if index < 0 then return list .. ' ' .. child end
  local seen, at = 0, 0
  while seen < index do
    at = string.find(list, ' ', at + 1, true)
    if not at then return list .. ' ' .. child end
    seen = seen + 1
  end
  return string.sub(list, 1, at) .. child .. ' ' .. string.sub(list, at + 1)
end

-- every write waits in known until the operations ran; then each hash takes one HDEL and
-- one HSET (the head a DEL first if it was wiped). A small hash keeps its fields in the order
-- they were added (HGETALL shows them so): the HSET names fields in the order the operations
-- added them, and a field deleted then written again is deleted first, so it goes last
local edits, touched, added, adds = {}, {}, {}, 0
local function forget(key)
  edits[key], touched[key], added[key] = {}, {}, {}
end
forget(head)
forget(inside)
local function write(key, name, value)
  local before, edit = known[key][name], edits[key][name]
  known[key][name] = value
  if not edit then
    edit = {original = before or false}
    edits[key][name] = edit
    touched[key][#touched[key] + 1] = name
  end
  if value == false then
    edit.dropped = true
  elseif not before then
    adds = adds + 1
    edit.added = adds
    added[key][#added[key] + 1] = {name, adds}
  end
end
local function flush(key)
  local sets, dels = {}, {}
  for _, name in ipairs(touched[key]) do
    local edit, value = edits[key][name], known[key][name]
    if edit.dropped then dels[#dels + 1] = name end
    -- a field there all along keeps its place
    if value ~= false and not edit.added then
      sets[#sets + 1] = name
      sets[#sets + 1] = value
    end
  end
  for _, add in ipairs(added[key]) do
    local name = add[1]
    local value = known[key][name]
    if value ~= false and edits[key][name].added == add[2] then
      sets[#sets + 1] = name
      sets[#sets + 1] = value
    end
  end
  if key == head and wiped then
    redis.call('DEL', head)
  elseif #dels > 0 then
    chunked('HDEL', key, dels)
  end
  if #sets > 0 then chunked('HSET', key, sets) end
end

for _, op in ipairs(ops) do
  local code, key = op.code, op.key
  if code == 'S' then
    write(key, op.field, op.value)
  elseif code == 'U' then
    write(key, op.field, false)
  elseif code == 'C' then
    if op.prefix == '' then
      wiped, exists = true, true
      known[head] = {}
      forget(head)
    end
    for j = 1, #op.pairs, 2 do
      write(key, op.prefix .. op.pairs[j], op.pairs[j + 1])
      if op.pairs[j] == 'k' then
        for kid in string.gmatch(op.pairs[j + 1], '%S+') do editShown(kid, true) end
      end
    end
    if op.prefix == '' then write(key, 'v', tostring(version)) end
  elseif code == 'I' or code == 'R' then
    local parent = read(key, {op.prefix .. 't', op.prefix .. 'k'})
    if parent[1] then
      local rest, had = withoutChild(parent[2] or '', op.child)
      if had then editShown(op.child, false) end
      if code == 'I' then
        rest = withChild(rest, op.child, op.index)
        editShown(op.child, true)
      end
      write(key, op.prefix .. 'k', rest)
    end
  elseif code == 'D' then
    local lists = {}
    for _, field in ipairs(op.fields) do
      if string.sub(field, -2) == '|k' then lists[#lists + 1] = field end
    end
    for _, list in ipairs(read(inside, lists)) do
      for kid in string.gmatch(list or '', '%S+') do editShown(kid, false) end
    end
    for _, field in ipairs(op.fields) do write(inside, field, false) end
  end
end
if #shownEdits > 0 then
  -- a child with no type inside this scope is a scope of its own; the types not known yet
  -- (of children not created nor read by this step) are read at once
  local types = {}
  for _, edit in ipairs(shownEdits) do
    if edit[1] ~= scope then types[#types + 1] = edit[1] .. '|t' end
  end
  read(inside, types)
  local before = read(head, {'x'})[1] or ''
  local shown = before
  for _, edit in ipairs(shownEdits) do
    local child, add = edit[1], edit[2]
    if child ~= scope and not known[inside][child .. '|t'] then
      if add then
        shown = shown == '' and child or (shown .. ' ' .. child)
      else
        shown = withoutChild(shown, child)
      end
    end
  end
  if shown ~= before then write(head, 'x', shown) end
end

-- the component fields of a hash: a component's type, child list and named fields (p:text),
-- not the store's own (version, fence, counters)
local function counted(key, name)
  if key == inside then
    local bar = string.find(name, '|', 1, true)
    if not bar then return false end
    name = string.sub(name, bar + 1)
  end
  return name == 't' or name == 'k' or string.find(name, ':', 1, true) ~= nil
end
local function sizeOf(name, value)
  if not value then return 0 end
  return #name + #value
end
local function storedBytes()
  local total = 0
  for _, key in ipairs({head, inside}) do
    local all = redis.call('HGETALL', key)
    for j = 1, #all, 2 do
      if counted(key, all[j]) then total = total + sizeOf(all[j], all[j + 1]) end
    end
  end
  return total
end
local grown = 0
for _, key in ipairs({head, inside}) do
  for _, name in ipairs(touched[key]) do
    if counted(key, name) then
      grown = grown + sizeOf(name, known[key][name]) - sizeOf(name, edits[key][name].original)
    end
  end
end
-- a new scope starts from nothing; one stored before the count was kept is counted once
local bytes = tonumber(state[4])
if wiped then
  bytes = 0
elseif not bytes and exists then
  bytes = storedBytes()
end
local total = (bytes or 0) + grown
if maxBytes and grown > 0 and total > maxBytes and mode ~= 'part' then return {8, scope} end
if mode == 'check' then return {1, -1} end
if mode == 'fence' then return fence() end
if exists and (grown ~= 0 or tonumber(state[4]) == nil) then write(head, 'b', tostring(total)) end

if owner ~= '' and mode == 'part' then
  redis.call('SET', receiptKey, '1', 'PX', doneTtl)
elseif owner ~= '' then
  redis.call('SET', receiptKey, 'done:' .. owner, 'PX', doneTtl)
end
if mode == 'main' and plan ~= '' then redis.call('SET', planKey, plan, 'PX', doneTtl) end

local out, raised = -1, bump and exists
if raised then
  out = version + 1
  write(head, 'v', out)
end
if token ~= '' and state[3] then write(head, 'f', false) end
flush(inside)
flush(head)
if raised and body ~= '' then
  redis.call('ZADD', logKey, out, '{"s":"' .. scope .. '","v":' .. out .. ',' .. string.sub(body, 2))
  if out % 16 == 0 then redis.call('ZREMRANGEBYRANK', logKey, 0, -(keep + 1)) end
end
return {1, out, total}
`;

/**
 * KEYS: head, inside, document log. ARGV: component id ('' for the scope's own record),
 * update, most bytes. Returns the log's length, 0 if no such component, -1 (storing nothing)
 * if the update would take the log's bytes past the most. The byte count is the component's
 * `db` field (`<id>|db` inside), next to its edits; a log stored before the count existed
 * is counted once, here.
 */
export const APPEND_DOC_SCRIPT = `
local prefix = ARGV[1] == '' and '' or (ARGV[1] .. '|')
local key = ARGV[1] == '' and KEYS[1] or KEYS[2]
if redis.call('HEXISTS', key, prefix .. 't') == 0 then return 0 end
local counted, bytes = redis.call('HGET', key, prefix .. 'db'), 0
if counted then
  bytes = tonumber(counted)
else
  for _, update in ipairs(redis.call('LRANGE', KEYS[3], 0, -1)) do bytes = bytes + #update end
end
bytes = bytes + #ARGV[2]
if bytes > tonumber(ARGV[3]) then return -1 end
redis.call('HINCRBY', KEYS[1], 'de', 1)
redis.call('HINCRBY', key, prefix .. 'dv', 1)
redis.call('HSET', key, prefix .. 'db', bytes)
return redis.call('RPUSH', KEYS[3], ARGV[2])
`;

/**
 * KEYS: head, inside, document log. ARGV: component id ('' for the scope's own record),
 * count, first update, merged update. Replaces the first \`count\` entries by the merged one
 * if the log still starts with \`first\`, and takes the bytes replaced off the byte count
 * (\`db\`, if counted) and adds the merged one's; 1 if it did.
 */
export const COMPACT_DOC_SCRIPT = `
local prefix = ARGV[1] == '' and '' or (ARGV[1] .. '|')
local key = ARGV[1] == '' and KEYS[1] or KEYS[2]
local k, count = KEYS[3], tonumber(ARGV[2])
if redis.call('LINDEX', k, 0) ~= ARGV[3] or redis.call('LLEN', k) < count then return 0 end
local replaced = 0
for _, update in ipairs(redis.call('LRANGE', k, 0, count - 1)) do replaced = replaced + #update end
redis.call('LTRIM', k, count, -1)
redis.call('LPUSH', k, ARGV[4])
if redis.call('HEXISTS', key, prefix .. 'db') == 1 then
  redis.call('HINCRBY', key, prefix .. 'db', #ARGV[4] - replaced)
end
return 1
`;

/** KEYS: lease. ARGV: owner, ttl ms. Returns 1 if owner holds the lease afterwards. */
export const ACQUIRE_LEASE_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if current and current ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`;

/**
 * KEYS: timers. ARGV: timer key, due ms it is expected at, next due ms. Moves the timer to
 * its next tick if nobody moved it since: 1 for the caller that did.
 */
export const CLAIM_TIMER_SCRIPT = `
local due = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not due or tonumber(due) ~= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
return 1
`;

/**
 * KEYS: timers, idle timers. ARGV: timer key, due ms it is expected at, page id. Sets the
 * timer aside for its page if nobody moved it since.
 */
export const IDLE_TIMER_SCRIPT = `
local due = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not due or tonumber(due) ~= tonumber(ARGV[2]) then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
local held = redis.call('HGET', KEYS[2], ARGV[3])
local keys = held and cjson.decode(held) or {}
for _, key in ipairs(keys) do if key == ARGV[1] then return 1 end end
table.insert(keys, ARGV[1])
redis.call('HSET', KEYS[2], ARGV[3], cjson.encode(keys))
return 1
`;

/** KEYS: timers, idle timers. ARGV: page id, now ms. A page's idle timers, due now. */
export const WAKE_TIMERS_SCRIPT = `
local held = redis.call('HGET', KEYS[2], ARGV[1])
if not held then return 0 end
redis.call('HDEL', KEYS[2], ARGV[1])
for _, key in ipairs(cjson.decode(held)) do redis.call('ZADD', KEYS[1], 'NX', ARGV[2], key) end
return 1
`;

/** KEYS: lease. ARGV: owner. */
export const RELEASE_LEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`;

/**
 * KEYS: receipt, plan. ARGV: owner, ttl ms. Returns {run}, {running}, {done} or
 * {done, plan} when a commit over several scopes left steps to finish.
 */
export const BEGIN_EVENT_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if current and string.sub(current, 1, 5) == 'done:' then
  local plan = redis.call('GET', KEYS[2])
  if plan then return {'done', plan} end
  return {'done'}
end
if current and current ~= 'run:' .. ARGV[1] then return {'running'} end
redis.call('SET', KEYS[1], 'run:' .. ARGV[1], 'PX', ARGV[2])
return {'run'}
`;

/** KEYS: receipt. ARGV: owner, ttl ms. */
export const RENEW_EVENT_SCRIPT = `
if redis.call('GET', KEYS[1]) == 'run:' .. ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1
`;

/** KEYS: receipt. ARGV: owner, applied (1/0), done ttl ms. */
export const END_EVENT_SCRIPT = `
if redis.call('GET', KEYS[1]) ~= 'run:' .. ARGV[1] then return 0 end
if ARGV[2] == '1' then
  redis.call('SET', KEYS[1], 'done:' .. ARGV[1], 'PX', ARGV[3])
else
  redis.call('DEL', KEYS[1])
end
return 1
`;

/**
 * KEYS: a session's pages. ARGV: page id, most pages, page ids to forget (gone)...
 * Takes a place for the page unless the session holds \`max\` already; 1 if it did.
 */
export const TAKE_PAGE_PLACE_SCRIPT = `
for i = 3, #ARGV do redis.call('ZREM', KEYS[1], ARGV[i]) end
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 1 end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], 0, ARGV[1])
redis.call('PEXPIRE', KEYS[1], 86400000)
return 1
`;

/** KEYS: head. ARGV: fence token. Drops the scope's fence if the token holds it. */
export const RELEASE_FENCE_SCRIPT = `
local fence = redis.call('HGET', KEYS[1], 'f')
if fence and string.sub(fence, 1, #ARGV[1] + 1) == ARGV[1] .. ' ' then redis.call('HDEL', KEYS[1], 'f') end
return 1
`;

/**
 * KEYS: name. ARGV: id, an id seen registered that no longer exists ('' none). Registers
 * \`id\` unless another id holds the name; returns the id registered afterwards.
 */
export const CLAIM_NAME_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if not current or current == ARGV[2] then
  redis.call('SET', KEYS[1], ARGV[1])
  return ARGV[1]
end
return current
`;

/**
 * KEYS: a storage hash. ARGV: key, JSON text, the most bytes the hash may hold, when it
 * expires (ms since the epoch). Stores the key unless the hash's bytes (field `#b`: each
 * key's name and value) would pass the limit: 1 stored, 0 refused (nothing changes).
 */
export const STORAGE_SET_SCRIPT = `
local old = redis.call('HSTRLEN', KEYS[1], ARGV[1])
local held = tonumber(redis.call('HGET', KEYS[1], '#b') or '0')
local bytes = held + string.len(ARGV[1]) + string.len(ARGV[2])
if old > 0 then bytes = bytes - string.len(ARGV[1]) - old end
if bytes > tonumber(ARGV[3]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2], '#b', bytes)
redis.call('PEXPIREAT', KEYS[1], ARGV[4])
return 1
`;

/**
 * KEYS: a storage hash. ARGV: key, when the hash expires (ms since the epoch). Removes the
 * key and its bytes from `#b`; the hash goes with its last key.
 */
export const STORAGE_DELETE_SCRIPT = `
local old = redis.call('HSTRLEN', KEYS[1], ARGV[1])
if old > 0 then
  redis.call('HDEL', KEYS[1], ARGV[1])
  if redis.call('HLEN', KEYS[1]) <= 1 then
    redis.call('DEL', KEYS[1])
    return 1
  end
  redis.call('HINCRBY', KEYS[1], '#b', -(string.len(ARGV[1]) + old))
end
redis.call('PEXPIREAT', KEYS[1], ARGV[2])
return 1
`;

/**
 * KEYS: a storage hash. ARGV: a key (empty: every key), when the hash expires (ms since the
 * epoch). Moves the expiry (a time past deletes the hash), then answers the key's JSON
 * text (or every field, flat).
 */
export const STORAGE_GET_SCRIPT = `
redis.call('PEXPIREAT', KEYS[1], ARGV[2])
if ARGV[1] == '' then return redis.call('HGETALL', KEYS[1]) end
return redis.call('HGET', KEYS[1], ARGV[1])
`;
