-- GET with an optional bearer token (TOKEN); the path comes from the URL on the command line.
wrk.method = "GET"
wrk.headers["Accept"] = "application/fhir+json"
local token = os.getenv("TOKEN")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
local errors = 0
function response(status, headers, body)
  if status >= 300 then errors = errors + 1 end
end
function done(summary, latency, requests)
  io.write(string.format("NON2XX %d\n", errors))
end
