s = "outer ${"inner ${x}"}"
