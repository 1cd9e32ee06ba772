# bench/profiles/three_reads.hcl: the benchmark's profile: 3 independent KV v2 reads, one answer.
request "a" { path = "secret/data/bench/a" }
request "b" { path = "secret/data/bench/b" }
request "c" { path = "secret/data/bench/c" }
output {
  data = {
    a = request.a.data.data.password
    b = request.b.data.data.password
    c = request.c.data.data.password
  }
}
