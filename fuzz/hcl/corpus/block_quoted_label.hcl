path "secret/*" {
  capabilities = ["read"]
}
