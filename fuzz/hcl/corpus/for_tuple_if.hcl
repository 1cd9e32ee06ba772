x = [for s in list : s if s != ""]
