// Operators write policies in many styles; all of these must parse.
path "a" { capabilities = ["read"] }
path "b" {
  capabilities = [
    "read",
    "list",   # trailing comma below
  ]
}
path "c" {
  /* block comment */ capabilities = ["read","list"]
}
path    "d"    {
  capabilities = ["update"]
}
