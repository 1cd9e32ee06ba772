s = "hello ${name}!"
