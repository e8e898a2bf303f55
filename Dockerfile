FROM python:3.11-slim-bookworm

# WeasyPrint's system libraries and fonts.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN pip install --no-cache-dir uv==0.13.9
WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
RUN uv sync --frozen --no-dev && useradd --create-home --uid 10001 tb && mkdir -p /data && chown tb /data

USER tb
ENV PATH="/app/.venv/bin:$PATH" APP_ENV=production DATA_DIR=/data HOST=0.0.0.0 PORT=8000
EXPOSE 8000
CMD ["tb", "serve"]
