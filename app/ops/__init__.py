"""Operating Hotline: metrics, readiness, backups."""
