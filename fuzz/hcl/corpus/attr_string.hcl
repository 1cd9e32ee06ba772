name = "hello"
