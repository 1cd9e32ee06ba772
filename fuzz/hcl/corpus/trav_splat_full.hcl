x = list[*].tags[0]
