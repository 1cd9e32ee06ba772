-- bench/profiles/three_reads.lua: wrk script: GET the three KV secrets in turn on each connection
-- (what a client without profiles does); three wrk requests make one "client fetch".
local paths = {"/v1/secret/data/bench/a", "/v1/secret/data/bench/b", "/v1/secret/data/bench/c"}
local i = 0
request = function()
  i = i % 3 + 1
  return wrk.format("GET", paths[i], {["X-Vault-Token"] = os.getenv("CELLAR_BENCH_TOKEN")})
end
