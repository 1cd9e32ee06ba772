a = "ok"
b = "ÿ"
