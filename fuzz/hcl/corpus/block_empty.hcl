seal "shamir" {
}
