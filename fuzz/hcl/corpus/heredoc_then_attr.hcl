a = <<EOF
x
EOF
b = 2
