s = <<EOF
EOF
