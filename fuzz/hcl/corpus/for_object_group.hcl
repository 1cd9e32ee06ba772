x = {for s in list : s.key => s.value...}
