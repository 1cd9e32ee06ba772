telemetry {
  disable_hostname = true
}
