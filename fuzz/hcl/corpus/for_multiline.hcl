x = [
  for s in list :
  s
]
