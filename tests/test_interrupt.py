"""Ctrl-C (issue 14, "Interrupts"; shared/regressions/github-rendering/sigint-*.sh): one line,
exit 130, no process left behind, no file half-written. A real console-script process gets
a real SIGINT once it is busy (judged by the CPU time it has used, not by the clock); every
wait is bounded, nothing is timed.

(The scripts send the signal to a job started with ``&`` in a non-interactive shell, which
starts with SIGINT ignored, as POSIX has it: there listlint keeps ignoring it.)"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from listlint.api import fix_text, load_job

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc to see the processes"
)

LISTLINT = str(Path(sys.executable).with_name("listlint"))
ROW = "|x|[y](http://github.com/y)|\n| xx | yy | extra |\n"


def _stat(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw[raw.rindex(")") + 2 :].split()  # fields from the state on


def _cpu_ticks(pid: int) -> int:
    fields = _stat(pid)
    return int(fields[11]) + int(fields[12]) if fields else -1  # utime + stime


def _in_session(sid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat(int(entry))
            if fields and int(fields[3]) == sid and fields[0] != "Z":
                out.append(int(entry))
    return out


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat(int(entry))
            if fields and int(fields[1]) == pid:
                out.append(int(entry))
    return out


def _wait_until(condition: object, proc: subprocess.Popen[str], what: str) -> None:
    """Poll ``condition`` (a callable) for at most a minute; fail if the process ended."""
    for _ in range(6000):
        if condition():  # type: ignore[operator]
            return
        assert proc.poll() is None, f"listlint ended before {what}: {proc.communicate()}"
        time.sleep(0.01)
    pytest.fail(f"gave up waiting for {what}")


def _default_sigint() -> None:
    # As a terminal's foreground command has it, even when this test run itself was started
    # in the background of a script (SIGINT ignored, and inherited as ignored).
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start(args: list[str], cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [LISTLINT, *args],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal gives a command
        preexec_fn=_default_sigint,
    )


def _finish(proc: subprocess.Popen[str]) -> str:
    try:
        _, err = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail("listlint did not stop after Ctrl-C")
    return err


def _nothing_left(sid: int) -> None:
    for _ in range(3000):
        if not _in_session(sid):
            return
        time.sleep(0.01)
    left = _in_session(sid)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    pytest.fail(f"processes left behind after Ctrl-C: {left}")


def test_ctrl_c_on_one_big_file(tmp_path: Path) -> None:
    (tmp_path / "listlint.toml").write_text("")
    text = "| a | b |\n|---|---|\n" + ROW * (500_000 // len(ROW))
    path = tmp_path / "big.md"
    path.write_text(text)
    proc = _start(["fix", "--no-cache", "big.md"], tmp_path)
    # A third of a second of CPU: past start-up, well inside the fix (seconds of work).
    _wait_until(lambda: _cpu_ticks(proc.pid) >= os.sysconf("SC_CLK_TCK") // 3, proc, "busy")
    os.killpg(proc.pid, signal.SIGINT)
    err = _finish(proc)
    assert proc.returncode == 130
    assert err == "Aborted.\n"
    _nothing_left(proc.pid)
    assert path.read_text() == text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.md", "listlint.toml"]


@pytest.mark.parametrize("command", ["check", "fix"])
def test_ctrl_c_with_two_workers(tmp_path: Path, command: str) -> None:
    (tmp_path / "listlint.toml").write_text("")
    originals = {}
    for i in range(3000):
        originals[f"f{i}.md"] = f"# F{i}\n\n| a | b |\n|-|-|\n|c|[x](http://github.com/{i})|\n"
    for name, text in originals.items():
        (tmp_path / name).write_text(text)
    proc = _start([command, "--no-cache", "--jobs", "2", "."], tmp_path)
    _wait_until(lambda: len(_children(proc.pid)) >= 2, proc, "the workers started")
    _wait_until(
        lambda: all(_cpu_ticks(c) >= 2 for c in _children(proc.pid)), proc, "the workers worked"
    )
    os.killpg(proc.pid, signal.SIGINT)
    err = _finish(proc)
    assert proc.returncode == 130, err
    assert err == "Aborted.\n"
    _nothing_left(proc.pid)
    job, _ = load_job(tmp_path)
    written = 0
    for name, text in originals.items():
        now = (tmp_path / name).read_text()
        if now != text:
            assert now == fix_text(text, job, name).new_text, f"{name} is half-written"
            written += 1
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".md")) == [
        "listlint.toml"
    ]
    if command == "check":
        assert written == 0
