x = list[*]
