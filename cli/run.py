"""Starting the product: `tb dev`, `tb serve`, `tb worker`, `tb migrate`."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import warnings

import click

from cli.errors import one_line_errors
from cli.runtime import require_services, setup_logging, start_missing_services
from core.settings import get_settings


def _run_migrations() -> None:
    from core.infra.db import build_engine  # noqa: F401 - piccolo_conf builds the engine
    from core.infra.migrations import migrate as apply

    asyncio.run(apply())


@click.command()
@one_line_errors
def migrate() -> None:
    """Apply the database migrations."""
    require_services(get_settings(), redis=False)
    _run_migrations()
    click.echo("migrations applied")


@click.command()
@click.option("--host", default=None, help="Interface to bind (default: HOST setting).")
@click.option("--port", default=None, type=int, help="Port (default: PORT setting).")
@click.option(
    "--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Processes."
)
@one_line_errors
def serve(host: str | None, port: int | None, workers: int) -> None:
    """Serve the web app, API and Slack endpoint."""
    from cli.serving import serve as serve_web

    settings = get_settings()
    require_services(settings)
    code = serve_web(
        host=host or settings.host,
        port=port or settings.port,
        processes=workers,
        log_level=settings.log_level.lower(),
    )
    sys.exit(code)


@click.command()
@one_line_errors
def worker() -> None:
    """Run the background worker (session pipeline, exports, cron)."""
    from jobs.worker import run_worker

    settings = get_settings()
    require_services(settings)
    setup_logging(settings)
    run_worker(settings)


def _interrupt(signum: int, frame: object) -> None:
    # One stop request is enough: ignore the rest while everything shuts down in order.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise KeyboardInterrupt


def _spawn(*args: str) -> subprocess.Popen[bytes]:
    # A session of its own: the terminal's Ctrl-C reaches only `tb dev`, which stops the
    # children itself, once each, in order.
    return subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "cli", *args], env=os.environ.copy(), start_new_session=True
    )


@click.command()
@one_line_errors
def dev() -> None:
    """Run everything locally: embedded PostgreSQL/Redis if unset, migrations, demo data,
    web and worker on HOST:PORT. Ctrl-C stops it all."""
    from cli.admin import seed_demo_data

    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR")  # pgserver's, harmless
    services = start_missing_services(get_settings())
    children: list[subprocess.Popen[bytes]] = []
    try:
        settings = get_settings()
        require_services(settings)
        _run_migrations()
        logins = seed_demo_data()
        children = [_spawn("serve"), _spawn("worker")]
        click.echo(f"\nTherapyBridge is running on http://{settings.host}:{settings.port}")
        for line in logins:
            click.echo(f"  {line}")
        click.echo("Press Ctrl-C to stop.\n")
        signal.signal(signal.SIGINT, _interrupt)
        signal.signal(signal.SIGTERM, _interrupt)
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        failed = next(child for child in children if child.poll() is not None)
        raise click.ClickException(f"a component stopped unexpectedly (exit {failed.returncode})")
    except KeyboardInterrupt:
        click.echo("stopping…")
    finally:
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
        services.stop()


COMMANDS = [dev, serve, worker, migrate]
