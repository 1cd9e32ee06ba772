x = max(list...)
