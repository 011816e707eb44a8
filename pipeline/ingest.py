"""Batch ingest: files and folders into the store, in worker processes, resumable.

    from pipeline.ingest import ingest
    report = ingest(["docs/", "extra.pdf"], db="outputs/directives.db", workers=2)
    report.failed        # [(file, reason), ...]

Workers run ``pipeline.extract`` + ``to_contract`` and send the contract dict
back; this process is the only writer, one transaction per document, so a crash
or Ctrl-C leaves whole documents only and a rerun skips what is stored (by
content hash) and completes the batch.
"""
from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional

from . import store

SUFFIXES = {".pdf", ".docx", ".txt"}


@dataclass
class Report:
    run_id: int
    files: int = 0
    stored: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    interrupted: bool = False

    @property
    def ok(self) -> int:
        return len(self.stored) + len(self.replaced)


def discover(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files to ingest, as absolute paths (folders searched recursively for .pdf .docx .txt;
    a file named directly is taken whatever its suffix), and the paths that are missing."""
    found: dict[str, Path] = {}
    missing = []
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() in SUFFIXES and not f.name.startswith("."):
                    found.setdefault(str(f.resolve()), f.resolve())
        elif p.is_file():
            found.setdefault(str(p.resolve()), p.resolve())
        else:
            missing.append((str(p), "no such file or folder"))
    return list(found.values()), missing


def extract_contract(path: str) -> tuple[str, Optional[dict], Optional[str]]:
    """Worker: (path, contract dict, None) or (path, None, reason). Never raises."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        from . import DirectiveError, extract
        from .export import to_contract
        try:
            return path, to_contract(extract(path)), None
        except DirectiveError as e:
            return path, None, e.reason
    except Exception as e:  # any failure is one file's failure
        return path, None, f"{type(e).__name__}: {e}"


def work_estimate(path: str | Path) -> float:
    """Rough pages of work in a file: a PDF's page count (read from its page tree, about a
    millisecond), else its size (a DOCX page is about 15 KB, a text page about 3 KB)."""
    path = Path(path)
    size = path.stat().st_size if path.exists() else 0
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        try:
            import pypdfium2
            pdf = pypdfium2.PdfDocument(str(path))
            try:
                return float(len(pdf))
            finally:
                pdf.close()
        except Exception:  # encrypted, corrupt: the worker will say why; size is the guess
            return size / 50_000
    return size / (15_000 if suffix == ".docx" else 3_000)


def longest_first(files: list[str]) -> list[str]:
    """The files in the order that ends a parallel batch soonest: the longest first, so a long
    document does not start last and keep the other workers waiting (ties keep their order)."""
    return sorted(files, key=work_estimate, reverse=True)


def _hash_all(files: list[Path], report: Report) -> dict[str, str]:
    hashes = {}
    for f in files:
        try:
            hashes[str(f)] = store.sha256_file(f)
        except OSError as e:
            report.failed.append((str(f), f"cannot read: {e.strerror or e}"))
    return hashes


def ingest(paths: Iterable[str | Path], db: str | Path = store.DEFAULT_DB, workers: int = 2,
           progress: bool = False, console=None,
           on_done: Optional[Callable[[str, str], None]] = None,
           timeout: Optional[float] = 600, cluster: Optional[str] = None) -> Report:
    """Ingest files and folders into the store at ``db``; see the module docstring.

    ``timeout``: seconds one file may take in a worker process (``workers`` >= 2) before it
    is given up as failed; None for no limit. ``cluster``: extract on a Dask cluster instead
    of local worker processes: "local" starts one with ``workers`` worker processes on this
    machine, "tcp://host:8786" uses a running scheduler (its workers need this package
    installed). This process stays the only writer either way."""
    database = store.open_db(db)
    files, missing = discover(paths)
    report = Report(run_id=store.start_run(database, len(files) + len(missing)), files=len(files))
    for f, reason in missing:
        _fail(database, report, f, reason, None)
    hashes = _hash_all(files, report)
    for f, reason in report.failed[len(missing):]:
        store.record_error(database, report.run_id, f, reason)
    stored = store.stored_hashes(database)
    todo, seen = [], set()
    for f, sha in hashes.items():
        if sha in stored or sha in seen:
            report.skipped.append(f)
        else:
            seen.add(sha)
            todo.append(f)
    if workers > 1 or cluster:
        todo = longest_first(todo)
    bar = _Progress(progress, len(todo), console)
    try:
        with bar:
            results = _dask_results(todo, workers, cluster) if cluster else _results(todo, workers, timeout=timeout)
            for path, contract, reason in results:
                _save(database, report, path, hashes[path], contract, reason)
                bar.advance(path)
                if on_done:
                    on_done(path, reason or "ok")
    except KeyboardInterrupt:
        report.interrupted = True
    finally:
        store.finish_run(database, report.run_id, report.ok, len(report.skipped), len(report.failed))
        store.checkpoint(database)
        database.close()
    return report


def _save(db, report: Report, path: str, sha: str, contract: Optional[dict], reason: Optional[str]) -> None:
    if contract is None:
        _fail(db, report, path, reason or "unknown error", sha)
        return
    try:
        outcome = store.store_document(db, contract, path, sha, report.run_id)
    except Exception as e:  # a contract the store cannot take is that file's failure
        _fail(db, report, path, f"store: {type(e).__name__}: {e}", sha)
        return
    {"stored": report.stored, "replaced": report.replaced, "skipped": report.skipped}[outcome].append(path)


def _fail(db, report: Report, path: str, reason: str, sha: Optional[str]) -> None:
    report.failed.append((path, reason))
    store.record_error(db, report.run_id, path, reason, sha)


def _results(todo: list[str], workers: int, fn: Optional[Callable] = None,
             timeout: Optional[float] = None):
    """(path, contract, reason) for each file, in completion order.

    When a worker process dies (a crash in a native library, out of memory) or a file takes
    longer than ``timeout`` seconds (worker processes only), the files its pool still held
    are retried one at a time, so that only the culprit is reported."""
    fn = fn or extract_contract
    if not todo:
        return
    if workers <= 1 or len(todo) <= 1 and not timeout:
        for path in todo:
            yield fn(path)
        return
    suspects: list[str] = []
    yield from _pooled(todo, max(1, workers), fn, suspects, timeout)
    for path in suspects:
        yield from _pooled([path], 1, fn, None, timeout)


def _dask_results(todo: list[str], workers: int, address: str):
    """(path, contract, reason) for each file, extracted on a Dask cluster, in completion order."""
    if not todo:
        return
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError as e:
        raise RuntimeError("--cluster needs Dask: pip install 'dask[distributed]'") from e
    cluster = None
    if address == "local":
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    else:
        client = Client(address)
    try:
        # the scheduler runs higher priorities first: keep the longest-first order
        futures = {client.submit(extract_contract, path, pure=False, key=f"extract-{i}",
                                 priority=len(todo) - i): path
                   for i, path in enumerate(todo)}
        for fut in as_completed(futures):
            try:
                yield fut.result()
            except Exception as e:  # a worker lost with the file: that file's failure
                yield futures[fut], None, f"cluster: {type(e).__name__}: {e}"
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _new_pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_ignore_sigint)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Kill the pool's workers now (their files come back as BrokenProcessPool)."""
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        proc.terminate()
    pool.shutdown(wait=False, cancel_futures=True)


def _pooled(todo: list[str], workers: int, fn: Callable, suspects: Optional[list[str]],
            timeout: Optional[float] = None):
    queue = list(reversed(todo))
    running: dict[Future, tuple[str, float]] = {}
    pool = _new_pool(min(workers, len(todo)))
    finished = False
    try:
        while queue or running:
            while queue and len(running) < workers:  # one file a worker: results never pile up
                path = queue.pop()
                running[pool.submit(fn, path)] = (path, time.monotonic())
            wait_for = None
            if timeout:
                wait_for = max(0.0, min(t for _, t in running.values()) + timeout - time.monotonic())
            done, _ = wait(running, timeout=wait_for, return_when=FIRST_COMPLETED)
            broken = False
            for fut in done:
                path, _ = running.pop(fut)
                outcome = _outcome(fut, path)
                if outcome is not None:
                    yield outcome
                    continue
                broken = True
                if suspects is None:
                    yield path, None, "the worker process died on this file (a crash or out of memory)"
                else:
                    suspects.append(path)
            if timeout and not done:
                now = time.monotonic()
                for fut, (path, started) in list(running.items()):
                    if now - started >= timeout:
                        del running[fut]
                        yield path, None, f"timed out after {timeout:g} s"
                        broken = True
                if broken:
                    _stop(pool)  # the others it held come back broken, as suspects
            if broken:
                pool.shutdown(wait=False, cancel_futures=True)
                pool = _new_pool(min(workers, max(1, len(queue))))
        finished = True
    finally:
        if not finished:  # Ctrl-C or an error here: stop the workers now, not after their current file
            _stop(pool)
        pool.shutdown(wait=finished, cancel_futures=True)


def _outcome(fut: Future, path: str) -> Optional[tuple[str, Optional[dict], Optional[str]]]:
    """The worker's answer; None when its process died."""
    try:
        return fut.result()
    except BrokenProcessPool:
        return None
    except Exception as e:
        return path, None, f"{type(e).__name__}: {e}"


def _ignore_sigint() -> None:
    """Workers leave Ctrl-C to the parent, which stops the batch cleanly."""
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class _Progress:
    """A rich progress bar, or nothing."""

    def __init__(self, enabled: bool, total: int, console=None):
        self.enabled, self.total, self.console = enabled and total > 0, total, console
        self.bar = None

    def __enter__(self):
        if self.enabled:
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                       TimeElapsedColumn, TimeRemainingColumn)
            self.bar = Progress(TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(),
                                TimeElapsedColumn(), TimeRemainingColumn(),
                                TextColumn("{task.description}"), console=self.console,
                                transient=False)
            self.bar.__enter__()
            self.task = self.bar.add_task("", total=self.total)
        return self

    def advance(self, path: str) -> None:
        if self.bar:
            self.bar.update(self.task, advance=1, description=Path(path).name[:40])

    def __exit__(self, *exc):
        if self.bar:
            self.bar.__exit__(*exc)
        return False


def summary(db_path: str | Path, report: Optional[Report] = None, console=None,
            as_of: Optional[str] = None, top: int = 10) -> None:
    """Who owns what, printed: top agencies, tasks due in the next 90 days, counts, failed files."""
    from rich.console import Console
    from rich.table import Table

    from . import query
    console = console or Console()
    db = store.open_db(db_path)
    try:
        query.render(query.agencies(db, limit=top, as_of=as_of), title="Top agencies (tasks led / supported)",
                     columns=["name", "lead", "support", "documents", "next_due", "overdue"],
                     console=console)
        soon = query.due_soon(db, 90, as_of)
        query.render(soon[:20], title=f"Due in the next 90 days ({len(soon)})",
                     columns=["due", "number", "path", "lead", "text"], console=console)
        t = Table(title="Counts", show_header=False)
        for k, v in query.counts(db).items():
            t.add_row(k, str(v))
        if report:
            t.add_row("this run: stored", str(report.ok))
            t.add_row("this run: already stored", str(len(report.skipped)))
            t.add_row("this run: failed", str(len(report.failed)))
        console.print(t)
    finally:
        db.close()
    if report and report.failed:
        ft = Table(title=f"Failed files ({len(report.failed)})")
        ft.add_column("file", overflow="fold")
        ft.add_column("reason", overflow="fold")
        for f, reason in report.failed:
            ft.add_row(f, reason)
        console.print(ft)
