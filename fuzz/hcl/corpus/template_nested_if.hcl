s = "%{ if a }%{ if b }ab%{ endif }%{ endif }"
