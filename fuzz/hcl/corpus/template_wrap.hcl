s = "${var.x}"
