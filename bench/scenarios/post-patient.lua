-- POST a new Patient per request, each with its own valid resident ID (GB 11643): the gateway
-- keeps one Patient per resident ID (unique index), so re-posting one body would measure 409s.
-- Request n of thread t in wrk run SEED (run.sh numbers its runs, so no run repeats an earlier
-- one's IDs) is number u = 16000·SEED + 8000·t + n (up to 8,000 requests per thread and run):
-- a man born 1930-01-01 + (u mod 27000) days with the odd (male) sequence number
-- 501 + 2·((u div 27000) mod 250), unique for the first 421 runs.
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
  local u = 16000 * seed + 8000 * tid + n
  local birth = os.time({year = 1930, month = 1, day = 1, hour = 12}) + (u % 27000) * 86400
  local seq = 501 + 2 * (math.floor(u / 27000) % 250)
  local body = "500112" .. os.date("%Y%m%d", birth) .. string.format("%03d", seq)
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
