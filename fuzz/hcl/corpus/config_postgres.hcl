# PostgreSQL storage with HA, awskms-style seal and multiple listeners.
storage "postgresql" {
  connection_url = "postgres://cellar:secret@localhost:5432/cellar?sslmode=disable"
  table          = "cellar_kv_store"
  ha_enabled     = "true"
  max_parallel   = 128
}

listener "tcp" {
  address = "127.0.0.1:8200"
  tls_disable = "true"
}

listener "tcp" {
  address       = "10.0.0.5:8200"
  tls_cert_file = "/etc/tls/cert.pem"
  tls_key_file  = "/etc/tls/key.pem"
  x_forwarded_for_authorized_addrs = ["10.0.0.0/8", "192.168.0.0/16"]
}

seal "shamir" {}

plugin_directory = "/usr/lib/cellar/plugins"
pid_file         = "/run/cellar.pid"
