"""Output files (``-o``, ``--in-place``): special files stay what they are, modes are kept, failures are one line."""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import entnorm
from entnorm.cli import app as cli

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "sample.txt"
NAMES = ROOT / "examples" / "names.csv"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
NULL_DEVICE, FULL_DEVICE = os.makedev(1, 3), os.makedev(1, 7)

# Every verb that writes -o, with what it reads.
VERBS = {
    "normalize": ["normalize", str(SAMPLE)],
    "match": ["match", "Vucich"],
    "match csv": ["match", "--input-format", "csv", str(NAMES)],
    "match parquet": ["match", "--input-format", "csv", "--format", "parquet", str(NAMES)],
    "suggest": ["suggest", str(SAMPLE)],
}


def entnorm_main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the command in this process: status, stdout, stderr."""
    status = cli.main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def expected(builtin: entnorm.Normalizer) -> str:
    """What ``normalize SAMPLE`` writes."""
    return builtin.normalize_text(SAMPLE.read_text(encoding="utf-8"))


@pytest.fixture
def umask() -> Iterator[Callable[[int], None]]:
    """Set the process umask for the test; the previous one comes back afterwards."""
    previous = os.umask(0o022)
    try:
        yield os.umask
    finally:
        os.umask(previous)


@pytest.fixture
def full_device(tmp_path: Path) -> Path:
    """A device whose every write fails with ENOSPC: our own node as root, else the system's /dev/full."""
    if not IS_ROOT:
        return Path("/dev/full")
    path = tmp_path / "full"
    os.mknod(path, stat.S_IFCHR | 0o666, FULL_DEVICE)
    return path


def test_a_device_is_written_not_replaced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if not IS_ROOT:
        pytest.skip("making a device node (os.mknod) needs root")
    null = tmp_path / "null"
    os.mknod(null, stat.S_IFCHR | 0o666, NULL_DEVICE)
    status, out, err = entnorm_main(capsys, "normalize", str(SAMPLE), "-o", str(null))
    assert (status, out, err) == (0, "", "")
    info = null.lstat()
    assert stat.S_ISCHR(info.st_mode) and info.st_rdev == NULL_DEVICE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null"]


@pytest.mark.parametrize("verb", VERBS)
def test_a_full_device_is_one_line_exit_1(full_device: Path, verb: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Written directly (a rename over it would succeed), so the full disk shows, as one line."""
    status, out, err = entnorm_main(capsys, *VERBS[verb], "-o", str(full_device))
    assert (status, out) == (1, "")
    assert err == f"entnorm: {full_device}: cannot write: No space left on device\n"
    assert stat.S_ISCHR(full_device.lstat().st_mode)


def test_a_fifo_is_written_not_replaced(tmp_path: Path, expected: str, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    try:
        status, _, err = entnorm_main(capsys, "normalize", str(SAMPLE), "-o", str(fifo))
    finally:
        reader.join(timeout=10)
        if reader.is_alive():  # release a reader still waiting for a writer that never came
            with contextlib.suppress(OSError):
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            reader.join(timeout=60)
    assert (status, err) == (0, "")
    assert received == [expected.encode("utf-8")]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fifo"]


def test_a_symlink_stays_a_link_and_its_target_is_replaced(
    tmp_path: Path, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "real"
    folder.mkdir()
    target = folder / "out.txt"
    target.write_text("previous contents")
    target.chmod(0o640)
    (tmp_path / "hop").symlink_to(target)
    link = tmp_path / "link"
    link.symlink_to("hop")  # a chain of links: resolved to the end
    status, _, err = entnorm_main(capsys, "normalize", str(SAMPLE), "-o", str(link))
    assert (status, err) == (0, "")
    assert link.is_symlink() and os.readlink(link) == "hop" and os.readlink(tmp_path / "hop") == str(target)
    assert target.read_text(encoding="utf-8") == expected
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in folder.iterdir()) == ["out.txt"]


def test_a_dangling_symlink_gets_its_target_made(
    tmp_path: Path, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    link = tmp_path / "link"
    link.symlink_to("made.txt")
    assert entnorm_main(capsys, "normalize", str(SAMPLE), "-o", str(link))[0] == 0
    assert link.is_symlink() and (tmp_path / "made.txt").read_text(encoding="utf-8") == expected


@pytest.mark.parametrize(("verb", "shown"), [("normalize", "Aleksandar Vučić SAYS"), ("match", "aleksandar-vucic")])
def test_dash_means_stdout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], verb: str, shown: str
) -> None:
    monkeypatch.chdir(tmp_path)
    status, out, err = entnorm_main(capsys, *VERBS[verb], "-o", "-")
    assert (status, err) == (0, "") and shown in out
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_file_gets_0666_less_the_umask(
    tmp_path: Path, umask: Callable[[int], None], capsys: pytest.CaptureFixture[str], mask: int, mode: int
) -> None:
    umask(mask)
    for verb in ("normalize", "match parquet"):
        out = tmp_path / f"{verb}.out"
        assert entnorm_main(capsys, *VERBS[verb], "-o", str(out))[0] == 0
        assert stat.S_IMODE(out.stat().st_mode) == mode


def test_a_replaced_file_keeps_its_mode(tmp_path: Path, umask: Callable[[int], None],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.txt"
    out.write_text("previous contents")
    out.chmod(0o640)
    assert entnorm_main(capsys, "normalize", str(SAMPLE), "-o", str(out))[0] == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o640 and out.read_text(encoding="utf-8") != "previous contents"


def test_in_place_keeps_the_input_mode(tmp_path: Path, umask: Callable[[int], None],
                                       capsys: pytest.CaptureFixture[str]) -> None:
    story = tmp_path / "story.txt"
    story.write_text("Vucich met Putin.\n", encoding="utf-8")
    story.chmod(0o640)
    assert entnorm_main(capsys, "normalize", str(story), "--in-place")[0] == 0
    assert story.read_text(encoding="utf-8") == "Aleksandar Vučić met Vladimir Putin.\n"
    assert stat.S_IMODE(story.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["story.txt"]


def test_a_replaced_file_keeps_its_owner_where_allowed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.txt"
    out.write_text("previous contents")
    if IS_ROOT:
        os.chown(out, 12345, 23456)
    before = out.stat()
    assert entnorm_main(capsys, "normalize", str(SAMPLE), "-o", str(out))[0] == 0
    after = out.stat()
    assert (after.st_uid, after.st_gid) == (before.st_uid, before.st_gid) and after.st_ino != before.st_ino


@pytest.mark.parametrize("verb", VERBS)
@pytest.mark.parametrize(
    ("where", "reason"),
    [
        ("missing/out.txt", "No such file or directory"),
        (".", "Is a directory"),
        ("file.txt/out.txt", "Not a directory"),
    ],
)
def test_an_output_that_cannot_be_opened_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], verb: str, where: str, reason: str
) -> None:
    (tmp_path / "file.txt").write_text("kept")
    output = str(tmp_path / where)
    status, out, err = entnorm_main(capsys, *VERBS[verb], "-o", output)
    assert (status, out) == (1, "")
    assert err == f"entnorm: {output}: cannot write: {reason}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]
    assert (tmp_path / "file.txt").read_text() == "kept"


@pytest.mark.parametrize("verb", ["normalize", "suggest"])
def test_a_bad_output_fails_before_the_table_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], verb: str
) -> None:
    loaded: list[object] = []
    monkeypatch.setattr(cli, "_load", loaded.append)
    status, _, err = entnorm_main(capsys, *VERBS[verb], "-o", str(tmp_path / "missing" / "out.txt"))
    assert status == 1 and "cannot write" in err
    assert loaded == []


def test_a_failed_rename_is_one_line_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.txt"
    out.write_text("previous contents")

    def full(*_: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", full)
    status, _, err = entnorm_main(capsys, "normalize", str(SAMPLE), "-o", str(out))
    assert (status, err) == (1, f"entnorm: {out}: cannot write: No space left on device\n")
    assert out.read_text() == "previous contents"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


# Runs the command with files limited to 64 KiB: writing past it fails with EFBIG, as a full disk would.
LIMITED = (
    "import resource, signal, sys\n"
    "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
    "resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 16, 1 << 16))\n"
    "from entnorm.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def test_a_failed_write_is_one_line_and_leaves_nothing(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(SAMPLE.read_bytes() * 400)
    out = tmp_path / "out.txt"
    out.write_text("previous contents")
    command = [sys.executable, "-c", LIMITED, "normalize", str(big), "-o", str(out)]
    result = subprocess.run(command, capture_output=True, timeout=300, check=False)
    assert result.returncode == 1
    assert result.stderr == f"entnorm: {out}: cannot write: File too large\n".encode()
    assert out.read_text() == "previous contents"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.txt", "out.txt"]


@pytest.mark.parametrize("existing", [True, False])
def test_sigterm_leaves_no_temporary_file(tmp_path: Path, existing: bool) -> None:
    out = tmp_path / "out.txt"
    if existing:
        out.write_text("previous contents")
    command = [sys.executable, "-m", "entnorm", "normalize", "-", "-o", str(out)]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdin is not None
    process.stdin.write(b"Vucic met Putin. " * 1000)  # more to come: the command waits for it
    process.stdin.flush()
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".out.txt.*.tmp")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(tmp_path.glob(".out.txt.*.tmp")), "the command never opened its output"
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 143 and stderr == b"entnorm: terminated\n"
    assert [p.name for p in tmp_path.iterdir()] == (["out.txt"] if existing else [])
    if existing:
        assert out.read_text() == "previous contents"
