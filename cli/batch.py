"""``mrv batch`` and ``mrv screen``: many reports into one database, and what looks wrong across them.

Thin commands over :mod:`mrv_engine.batch`. It and rich (the progress bar) are imported inside the
commands, so that ``mrv --help`` loads neither (tests/test_layers.py).
"""

from __future__ import annotations

import sys

import click
from mrv_engine.cli.shared import lang_option
from mrv_engine.cli.texts import say


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", required=True, help="The SQLite database to write (created, or resumed).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Worker processes (default: the number of cores).")
@click.option("--verify", is_flag=True, help="Verify each report (recompute, compare, check), not only calculate it.")
@lang_option
def batch(inputs, output, jobs, verify, lang):
    """Calculate (or verify) every report in INPUTS (files, folders, globs) into one SQLite database.

    A report that is refused is a row with its findings. Interrupted (Ctrl-C) or killed, the
    database stays consistent; the same command again skips what is done (same content, same
    rules) and does the rest. Every finding is stored in Chinese and English (message_zh,
    message); --lang is the language of what this command prints. Schema: docs/batch.md.
    """
    import signal

    from mrv_engine.batch import run

    # A polite kill (SIGTERM) ends like Ctrl-C: the run is recorded as interrupted.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    progress = _Progress() if sys.stderr.isatty() else None
    try:
        summary = run(list(inputs), output, jobs=jobs, verify=verify, progress=progress)
    finally:
        if progress:
            progress.close()
    click.echo(f"{output}: {_summary(summary, lang)}", err=True)
    if summary.interrupted:
        sys.exit(130)


def _summary(summary, lang: str) -> str:
    """The run's one line in ``lang`` (the runner's own line is English, for logs)."""
    if lang != "zh":
        return summary.line()
    s = summary.by_status
    text = say("batch_summary", lang, seen=summary.seen, done=summary.done, ok=s["ok"], refused=s["refused"],
               failed=s["failed"], skipped=summary.skipped, seconds=f"{summary.seconds:.1f}")
    if summary.restarts:
        text += say("batch_restarts", lang, n=summary.restarts)
    return text + (say("batch_interrupted", lang) if summary.interrupted else "")


class _Progress:
    """A rich progress bar on a terminal (standard error)."""

    def __init__(self):
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self.bar = Progress(TextColumn("mrv batch"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), transient=True)
        self.task = None

    def __call__(self, done: int, total: int) -> None:
        if self.task is None:
            self.bar.start()
            self.task = self.bar.add_task("", total=total)
        self.bar.update(self.task, completed=done)

    def close(self) -> None:
        if self.task is not None:
            self.bar.stop()


@click.command()
@click.argument("database")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "html"]), default="table")
@click.option("-o", "--output", help="Write to this file, atomically (default: standard output).")
@lang_option
def screen(database, fmt, output, lang):
    """What looks wrong across the reports of a batch DATABASE (written by mrv batch): intensities
    against the batch's distribution and against the allocation benchmark of each unit's category
    where the plans carry one, year-on-year jumps, defaults and unconfirmed figures, findings by code.
    The HTML shows each distribution as a box plot with every outlier named and the benchmarks drawn.
    All three formats speak --lang (CSV keeps its section names and column heads, for programs)."""
    from mrv_engine.batch import render_screen
    from mrv_engine.batch import screen as run_screen
    from mrv_engine.cli.shared import emit

    emit(render_screen(run_screen(database), fmt, lang), output)


def register(group: click.Group) -> None:
    """Add ``mrv batch`` and ``mrv screen`` to ``group``."""
    for command in (batch, screen):
        group.add_command(command)
