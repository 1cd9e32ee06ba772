a = "héllo wörld"
b = 1
