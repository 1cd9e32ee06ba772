listener "tcp" {
  telemetry {
    unauthenticated_metrics_access = true
  }
}
