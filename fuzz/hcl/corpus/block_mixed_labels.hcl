a b "c" d {
}
