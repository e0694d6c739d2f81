-- GET Patient/$shared-prescriptions?identifier=<resident ID> for a random generated patient per
-- request (IDS = file of resident IDs written by PrescriptionLoadGenerator), with the bearer token
-- TOKEN. MODE=search asks the same through plain FHIR search instead. Reports p95 (wrk prints
-- 50/75/90/99 only) and the non-2xx count.
local ids = {}
local token = os.getenv("TOKEN")
local mode = os.getenv("MODE") or "operation"

function init(args)
  for line in io.lines(os.getenv("IDS")) do
    if line ~= "" then ids[#ids + 1] = line end
  end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
end

function request()
  local id = ids[math.random(#ids)]
  local path
  if mode == "search" then
    path = "/fhir/MedicationRequest?patient.identifier=urn:oid:2.16.156.10011.1.3%7C" .. id
        .. "&status=active&_sort=-authoredon&_include=MedicationRequest:medication"
  else
    path = "/fhir/Patient/$shared-prescriptions?identifier=" .. id
  end
  local headers = {["Accept"] = "application/fhir+json"}
  if token and token ~= "" then headers["Authorization"] = "Bearer " .. token end
  return wrk.format("GET", path, headers)
end

-- done() runs in wrk's main Lua state: per-thread counters are not visible there, the summary is.
function done(summary, latency, requests)
  io.write(string.format("P95_US %d\n", latency:percentile(95)))
  io.write(string.format("NON2XX %d\n", summary.errors.status))
end
