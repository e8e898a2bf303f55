"""The demo clinic `tb dev` seeds on first start: real AnnoMI conversations as sessions, run
through the real pipeline, with the therapists' work on them done through the real services,
so what the dashboard and the documents show is what the product makes of these sessions."""

from core.demo.seed import ADMIN_EMAIL, DEMO_PASSWORD, seed_demo

__all__ = ["ADMIN_EMAIL", "DEMO_PASSWORD", "seed_demo"]
