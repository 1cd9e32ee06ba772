storage file {
  path = "/tmp"
}
