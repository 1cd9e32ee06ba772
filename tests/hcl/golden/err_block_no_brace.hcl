path "x" = 1
