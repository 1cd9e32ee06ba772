x = list.*.id
