path "${x}" {
}
