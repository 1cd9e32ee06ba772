a = f(x y)
