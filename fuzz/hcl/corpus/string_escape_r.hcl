s = "a\rb"
