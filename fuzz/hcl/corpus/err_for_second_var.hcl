a = [for k, in list : x]
