o = { "key" = [] }
