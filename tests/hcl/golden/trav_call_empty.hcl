x = timestamp()
