# "+" matches one path segment, "*" a suffix; templated paths use {{ }} inside the string.
path "secret/+/teamb" {
  capabilities = ["read"]
}

path "secret/+/+/config/*" {
  capabilities = ["read", "list"]
}

path "secret/data/{{identity.entity.id}}/*" {
  capabilities = ["create", "update", "read", "delete"]
}

path "*" {
  capabilities = ["sudo", "read", "list"]
}

path "sys/profiles/execute/app" { capabilities = ["update"] }
path "pki/issue/web" { capabilities = ["update", "direct-deny"] }
