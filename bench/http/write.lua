-- bench/http/write.lua: wrk script for KV v2 writes (POST secret/data/bench/w<n>).
local counter = 0
local token = os.getenv("CELLAR_BENCH_TOKEN") or ""
request = function()
  counter = counter + 1
  local path = "/v1/secret/data/bench/w" .. (counter % 64)
  return wrk.format("POST", path,
    {["X-Vault-Token"] = token, ["Content-Type"] = "application/json"},
    '{"data":{"user":"bench","password":"s3cr3t-value-' .. counter .. '"}}')
end
