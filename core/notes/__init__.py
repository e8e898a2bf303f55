"""Clinical notes: template auto-fill, risk-screening detection, signing content."""
