x = list[0]
y = map["key"]
