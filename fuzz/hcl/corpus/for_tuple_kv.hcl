x = [for i, v in list : "${i}=${v}"]
