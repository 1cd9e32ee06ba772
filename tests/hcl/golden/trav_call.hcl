x = length(list)
