s = <<-EOT
    indented
      more
    EOT
