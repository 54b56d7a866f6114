"""``mrv serve``: the HTTP service and its web page (mrv_engine.service), on uvicorn.

FastAPI and uvicorn are imported when the command runs, so ``mrv --help`` stays light.
"""

from __future__ import annotations

import os

import click


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind; 0.0.0.0 to serve other machines.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Worker processes.")
@click.option("--max-body-mb", default=5.0, show_default=True, type=click.FloatRange(0.001, 1024),
              help="Refuse request bodies over this many megabytes (413).")
def serve(host, port, workers, max_body_mb):
    """Serve the engine over HTTP (OpenAPI at /openapi.json) with its web page at /."""
    try:
        import uvicorn
    except ImportError:
        raise click.ClickException("the service needs FastAPI and uvicorn: pip install 'mrv-engine[service]'") from None

    # Each worker process builds its own app from this factory; the limit travels by environment.
    os.environ["MRV_MAX_BODY"] = str(int(max_body_mb * 1024 * 1024))
    click.echo(f"mrv-engine: serving on http://{host}:{port}/ (OpenAPI at /openapi.json); Ctrl+C stops", err=True)
    uvicorn.run("mrv_engine.service.app:app_from_environment", factory=True, host=host, port=port, workers=workers,
                log_level="warning")
