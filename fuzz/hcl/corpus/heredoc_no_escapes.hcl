s = <<EOF
C:\path\n stays
EOF
