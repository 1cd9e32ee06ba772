# The pre-0.9 form: one policy word instead of a capability list.
path "secret/foo" {
  policy = "read"
}

path "secret/bar/*" {
  policy = "write"
}

path "secret/private" {
  policy = "deny"
}

path "sys/mounts" {
  policy = "sudo"
}
