s = "a\tb"
t = "x"
