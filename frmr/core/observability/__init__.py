"""What an operator sees of a running node: Prometheus metrics, JSON logs, the request id (docs/deploy.md)."""
