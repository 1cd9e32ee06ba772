s = "%{ if enabled }on%{ endif }"
