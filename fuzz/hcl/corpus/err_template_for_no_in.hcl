a = "%{ for x y }%{ endfor }"
