x = a.0.b
y = a.0.1
