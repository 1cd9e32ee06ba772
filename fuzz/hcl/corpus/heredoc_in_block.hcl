b {
  policy = <<EOT
    path "x" {}
  EOT
}
