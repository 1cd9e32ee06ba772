path "secret/foo" {
  capabilities = ["create", "update"]
  allowed_parameters = {
    "bar" = ["zip", "zap"]
    "baz" = []
    "prefix-*" = ["a*"]
  }
  denied_parameters = {
    "secret" = []
  }
  required_parameters = ["bar", "baz"]
}

path "secret/everything" {
  capabilities = ["create"]
  allowed_parameters = {
    "*" = []
  }
  denied_parameters = {
    "salary" = [100000, 200000]
  }
}

path "auth/token/create" {
  capabilities = ["update"]
  min_wrapping_ttl = "1s"
  max_wrapping_ttl = "90s"
}

path "sys/wrapping/wrap" {
  capabilities = ["update"]
  min_wrapping_ttl = 60
  max_wrapping_ttl = 3600
}
