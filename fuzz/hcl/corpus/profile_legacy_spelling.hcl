request "x" {
  path = "/v1/secret/data/a"
  err = fatal
  data = { "common_name": input.data.common_name }
}
