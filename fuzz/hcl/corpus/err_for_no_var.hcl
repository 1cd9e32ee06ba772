a = [for 1 in list : x]
