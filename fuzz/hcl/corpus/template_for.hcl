s = "%{ for x in list }${x},%{ endfor }"
