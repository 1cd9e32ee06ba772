a = [for x list : x]
