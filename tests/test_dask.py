"""Dask: a LocalCluster with two worker processes gives what one process gives, in input order."""

from __future__ import annotations

import csv
import http.client
import io
import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import dask.bag as db
import dask.dataframe as dd
import pandas as pd
import pytest
from distributed import Client, LocalCluster

import entnorm
import entnorm.dask
import entnorm.pandas
from entnorm.api import Normalizer

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "sample.txt"
DOCUMENTS = [
    "Vucich met Mr Zelensky in Kiev.",
    "",
    "Russia's Federal Security Service (SVR) denied it; the FSB said nothing.",
    "VUI spoke after Aleksandar Vučić.",
    "Nothing to see here.",
] * 8


def _cluster() -> LocalCluster:
    """Two worker processes, and no dashboard for real.

    ``dashboard_address=None`` only hides the dashboard: the scheduler's HTTP
    server still binds port 8787 and warns (an error here) when it is taken,
    by a Jupyter or another cluster. So the server gets a free local port and
    the dashboard is switched off.
    """
    return LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True,
        dashboard_address="127.0.0.1:0", scheduler_kwargs={"dashboard": False},
    )


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with _cluster() as cluster, Client(cluster) as connected:
        yield connected


def test_a_cluster_starts_while_port_8787_is_taken(builtin: Normalizer) -> None:
    with socket.socket() as holder:
        try:
            holder.bind(("127.0.0.1", 8787))
            holder.listen()
        except OSError:  # taken by something else already: the point holds all the same
            pass
        with _cluster() as cluster, Client(cluster) as connected:
            port = cluster.scheduler.http_server.port
            assert port != 8787
            health = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            health.request("GET", "/status")  # the dashboard's page
            assert health.getresponse().status == 404
            health.close()
            bag = db.from_sequence(DOCUMENTS[:4], npartitions=2)
            handle = entnorm.dask.shared(builtin, connected)
            assert entnorm.dask.annotate_bag(bag, handle).compute() == [_records(builtin, d) for d in DOCUMENTS[:4]]


def _records(normalizer: Normalizer, text: str) -> list[dict[str, object]]:
    return [entnorm.dask.mention_record(m) for m in normalizer.annotate(text)]


def _copies(dask_worker) -> int:  # type: ignore[no-untyped-def]
    """How many normalizers a worker holds (run on each worker by ``client.run``)."""
    return sum(isinstance(v, Normalizer) for v in dask_worker.data.values())


def test_bag_equals_one_process_in_order(client: Client, builtin: Normalizer) -> None:
    bag = db.from_sequence(DOCUMENTS, npartitions=7)
    assert entnorm.dask.annotate_bag(bag, builtin).compute() == [_records(builtin, d) for d in DOCUMENTS]


def test_the_normalizer_goes_to_each_worker_once(client: Client, builtin: Normalizer) -> None:
    bag = db.from_sequence(DOCUMENTS, npartitions=10)
    entnorm.dask.annotate_bag(bag, builtin).compute()

    counts = client.run(_copies)
    assert sorted(counts.values()) == [1, 1]


def test_one_handle_serves_several_collections(client: Client, builtin: Normalizer) -> None:
    handle = entnorm.dask.shared(builtin, client)
    assert entnorm.dask.shared(handle, client) is handle
    for parts in (3, 5):
        bag = db.from_sequence(DOCUMENTS, npartitions=parts)
        assert entnorm.dask.annotate_bag(bag, handle).compute() == [_records(builtin, d) for d in DOCUMENTS]

    assert sorted(client.run(_copies).values()) == [1, 1]


def test_frames_equal_one_process(client: Client, builtin: Normalizer) -> None:
    frame = pd.DataFrame({"text": DOCUMENTS, "n": range(len(DOCUMENTS))})
    mentions = entnorm.dask.annotate_frame(dd.from_pandas(frame, npartitions=4), "text", builtin).compute()
    expected = [(doc, r["start"], r["id"]) for doc, d in enumerate(DOCUMENTS) for r in _records(builtin, d)]
    assert list(zip(mentions["doc"], mentions["start"], mentions["id"], strict=True)) == expected
    names = pd.DataFrame({"name": ["Vucich", "SVR", None, "Nobody Atall", "Kiev"] * 10})
    matched = entnorm.dask.match_frame(dd.from_pandas(names, npartitions=3), "name", builtin).compute()
    local = names.join(entnorm.pandas.match_series(names["name"], builtin, prefix="entity_"))
    pd.testing.assert_frame_equal(matched, local, check_dtype=False)  # dask keeps strings as arrow strings


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    command = [sys.executable, "-m", "entnorm", *args]
    return subprocess.run(command, capture_output=True, timeout=300, check=False, env=env)


def test_cli_scheduler_equals_one_process(client: Client, tmp_path: Path) -> None:
    address = client.scheduler.address
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("\n\n".join(DOCUMENTS * 20), encoding="utf-8")
    for style in ("jsonl", "inline"):
        options = [str(corpus), "--format", style, "--doc-separator", r"\n\n"]
        local = _cli("normalize", *options)
        remote = _cli("normalize", *options, "--scheduler", address)
        assert remote.returncode == 0, remote.stderr
        assert remote.stdout == local.stdout and local.stdout
    names = tmp_path / "names.csv"
    with names.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([["name"], *([n] for n in ["Vucich", "SVR", "VUCIC", "Putin", "Nobody"] * 2000)])
    local = _cli("match", "--input-format", "csv", str(names))
    remote = _cli("match", "--input-format", "csv", str(names), "--scheduler", address)
    assert remote.returncode == 0, remote.stderr
    assert remote.stdout == local.stdout and len(list(csv.reader(io.StringIO(local.stdout.decode())))) == 10_001
    queries = "\n".join(["Vucich", "Mr Vucic", "SVR", "Nobody"] * 600).encode()
    plain = subprocess.run([sys.executable, "-m", "entnorm", "match", "--format", "jsonl"], input=queries,
                           capture_output=True, check=False)
    on_cluster = subprocess.run([sys.executable, "-m", "entnorm", "match", "--format", "jsonl", "--scheduler", address],
                                input=queries, capture_output=True, check=False)
    assert on_cluster.stdout == plain.stdout
    assert [json.loads(line)["query"] for line in plain.stdout.decode().splitlines()][:4] == ["Vucich", "Mr Vucic",
                                                                                             "SVR", "Nobody"]


def test_unreachable_scheduler_is_a_clear_error(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    env = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "1s"}
    result = _cli("normalize", str(SAMPLE), "-o", str(out), "--scheduler", "tcp://127.0.0.1:9", env=env)
    assert result.returncode == 1
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.stderr.decode()
    assert not out.exists()
