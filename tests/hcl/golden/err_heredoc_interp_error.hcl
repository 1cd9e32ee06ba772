a = <<EOF
${ 1 + }
EOF
b = 2
