-- POST a new Patient per request, each with its own valid resident ID (GB 11643): the gateway
-- keeps one Patient per resident ID (unique index), so re-posting one body would measure 409s.
-- Thread t, request n of wrk run SEED (run.sh numbers its runs, so no run repeats an earlier one's
-- IDs): k = n + 5000·SEED, a man born 1940-01-01 + (k mod 20000) days, sequence
-- 701 + 2·(50·t + k div 20000).
local token = os.getenv("TOKEN")
local seed = tonumber(os.getenv("SEED") or "0")
local counter = 0
local tid = 0
local threads = 0

function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

function init(args)
  tid = tonumber(wrk.thread:get("tid")) or 0
end

local weights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
local checks = "10X98765432"

local function resident_id(n)
  local k = n + 5000 * seed
  local birth = os.time({year = 1940, month = 1, day = 1, hour = 12}) + (k % 20000) * 86400
  local seq = 701 + 2 * (50 * tid + math.floor(k / 20000))
  local body = "500112" .. os.date("%Y%m%d", birth) .. string.format("%03d", seq % 1000)
  local sum = 0
  for i = 1, 17 do sum = sum + tonumber(body:sub(i, i)) * weights[i] end
  local r = sum % 11
  return body .. checks:sub(r + 1, r + 1), os.date("%Y-%m-%d", birth)
end

function request()
  counter = counter + 1
  local id, birth = resident_id(counter)
  local body = string.format('{"resourceType":"Patient","identifier":[{"system":"urn:oid:2.16.156.10011.1.3","value":"%s"}],'
      .. '"name":[{"text":"压测患者","family":"压","given":["测患者"]}],"gender":"male","birthDate":"%s"}', id, birth)
  local headers = {["Content-Type"] = "application/fhir+json; charset=utf-8", ["Accept"] = "application/fhir+json"}
  if token and token ~= "" then headers["Authorization"] = "Bearer " .. token end
  return wrk.format("POST", nil, headers, body)
end

-- done() runs in wrk's main Lua state: the summary, not per-thread counters, knows the errors.
function done(summary, latency, requests)
  io.write(string.format("NON2XX %d\n", summary.errors.status))
end
