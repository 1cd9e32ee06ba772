path "secret/*" {
  capabilities = ["read",
}
b = "x
