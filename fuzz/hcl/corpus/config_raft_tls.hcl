ui            = true
cluster_addr  = "https://127.0.0.1:8201"
api_addr      = "https://127.0.0.1:8200"
disable_mlock = true
cluster_name  = "cellar-prod"

storage "raft" {
  path    = "/var/lib/cellar/raft"
  node_id = "node-a"

  retry_join {
    leader_api_addr = "https://10.0.0.2:8200"
    leader_ca_cert_file = "/etc/cellar/ca.pem"
  }
  retry_join {
    leader_api_addr = "https://10.0.0.3:8200"
  }
}

listener "tcp" {
  address         = "0.0.0.0:8200"
  cluster_address = "0.0.0.0:8201"
  tls_cert_file   = "/etc/cellar/tls/full-chain.pem"
  tls_key_file    = "/etc/cellar/tls/private-key.pem"
  tls_min_version = "tls12"

  telemetry {
    unauthenticated_metrics_access = true
  }
}

listener "unix" {
  address = "/run/cellar.sock"
}

seal "transit" {
  address         = "https://unseal.example.com:8200"
  disable_renewal = "false"
  key_name        = "autounseal"
  mount_path      = "transit/"
  tls_skip_verify = "true"
}

telemetry {
  statsite_address          = "127.0.0.1:8125"
  disable_hostname          = true
  prometheus_retention_time = "30s"
}
