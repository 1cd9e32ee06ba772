s = "a  ${~ x ~}  b"
