path "a" {
  policy = "read"
}
path "b" {
  policy = "write"
}
