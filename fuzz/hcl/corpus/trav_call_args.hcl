x = join(",", ["a", "b"])
