a = <<EOF x
EOF
