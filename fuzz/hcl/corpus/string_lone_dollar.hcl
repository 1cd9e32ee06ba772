s = "cost: $5 and 50% off"
