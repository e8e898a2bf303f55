"""Where the export templates and their bundled assets live (read-only at run time)."""

from pathlib import Path

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates" / "exports"
# The only files a PDF render may load: stylesheets and images the templates ship with.
ASSET_DIR = TEMPLATE_DIR / "assets"
ASSET_BASE_URL = ASSET_DIR.as_uri() + "/"
