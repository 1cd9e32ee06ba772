path "x" {
  capabilities = ["read"]
}
