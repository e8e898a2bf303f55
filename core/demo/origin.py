"""Who the demo's audit rows name as having acted."""

from __future__ import annotations

from core.audit import RequestOrigin

# Audit rows of what the demo's therapists "did" say it was the seeding that did it.
DEMO_ORIGIN = RequestOrigin(ip_address=None, user_agent="therapybridge-demo-seed")
