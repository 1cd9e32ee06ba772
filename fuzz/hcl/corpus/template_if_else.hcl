s = "%{ if x }yes%{ else }no%{ endif }"
