s = <<EOF
hello ${name}
EOF
