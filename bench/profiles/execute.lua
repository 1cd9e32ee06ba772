-- bench/profiles/execute.lua: wrk script: POST an empty JSON body (one profile execution).
wrk.method = "POST"
wrk.body = "{}"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Vault-Token"] = os.getenv("CELLAR_BENCH_TOKEN")
