"""The only way a PDF render may load a resource: a bundled asset, or nothing.

WeasyPrint's default fetcher opens any `file://` path (including /dev/urandom, which never ends)
and any http(s) URL (an SSRF path into Redis or the cloud metadata service). Templates and
custom CSS are user-supplied, so every URL is refused unless it names a regular file under
ASSET_DIR; attachments and redirects go through the same check because WeasyPrint 70 routes
them through this fetcher.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

from core.documents.paths import ASSET_DIR

MAX_ASSET_BYTES = 5 * 1024 * 1024


class RefusedURL(ValueError):
    """A render asked for a resource that is not a bundled asset."""


class AssetOnlyFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no types
    def __init__(self, asset_dir: Path = ASSET_DIR) -> None:
        super().__init__(allowed_protocols={"file"}, allow_redirects=False)
        self._root = asset_dir.resolve()
        # What was refused, for diagnostics and tests; never logged, URLs may come from data.
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        path = self.asset_path(url)
        if path is None:
            self.refused.append(url)
            raise RefusedURL("only bundled assets may be loaded")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type}
        )

    def asset_path(self, url: str) -> Path | None:
        """The bundled file a URL names, or None if it names anything else."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            return None
        path = Path(url2pathname(parts.path)).resolve()
        if not path.is_relative_to(self._root) or not path.is_file():
            return None
        return path if path.stat().st_size <= MAX_ASSET_BYTES else None
