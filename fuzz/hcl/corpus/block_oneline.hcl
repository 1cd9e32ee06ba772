path "x" { capabilities = ["read"] }
