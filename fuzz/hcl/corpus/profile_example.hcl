input {
  authenticated = true
  data = {
    common_name = "string"
    ttl         = "string?"
  }
}

request "cert" {
  path      = "pki/issue/web"
  operation = "update"
  data = {
    common_name = input.data.common_name
    ttl         = input.data.ttl != null ? input.data.ttl : "24h"
  }
}

request "app_config" {
  for_each  = request.apps.data.keys
  path      = "secret/data/apps/${each.value}"
  operation = "read"
}

output {
  data = {
    config = { for k, r in request.app_config : k => r.data.data }
    leases = [request.cert.lease_id, request.dbpass.lease_id]
  }
}
