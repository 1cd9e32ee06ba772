storage "file" {
  path = "/tmp/cellar-data"
}

listener "tcp" {
  address     = "127.0.0.1:8200"
  tls_disable = 1
}

ui                = true
disable_mlock     = true
api_addr          = "http://127.0.0.1:8200"
default_lease_ttl = "768h"
max_lease_ttl     = "768h"
log_level         = "info"
