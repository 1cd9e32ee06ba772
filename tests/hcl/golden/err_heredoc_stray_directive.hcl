a = <<EOF
%{ endif }
EOF
