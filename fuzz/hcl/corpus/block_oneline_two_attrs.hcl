input { authenticated = false  data = { jwt = "string" } }
