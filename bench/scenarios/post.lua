-- POST the body file named by BODY with an optional bearer token (TOKEN).
local f = assert(io.open(os.getenv("BODY"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/fhir+json; charset=utf-8"
wrk.headers["Accept"] = "application/fhir+json"
local token = os.getenv("TOKEN")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end

-- Count non-2xx answers so a failing scenario is reported, not measured as fast.
local errors = 0
function response(status, headers, body)
  if status >= 300 then errors = errors + 1 end
end
function done(summary, latency, requests)
  io.write(string.format("NON2XX %d\n", errors))
end
