x = [for s in list : upper(s)]
