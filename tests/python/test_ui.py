"""The golden diagnostics of `tests/ui/` seen from Python: `pycc.compile_source` raises
`pycc.CompileError` whose message is the rendered text of the sibling `.stderr` file, and
`pycc check` prints the same text. (The Rust harness `compiler/tests/ui.rs` owns the markers
and blessing; this checks that the Python API and the CLI pass the diagnostics through
unchanged.)"""

from __future__ import annotations

import re
import subprocess

import pytest

import pycc_testing as pt

def _rel(path) -> str:
    return path.relative_to(pt.ROOT).as_posix()


def _params():
    """One param per ui file; `# xfail: REASON` (a known compiler bug) makes it strict-xfail."""
    for path in sorted(p for p in pt.UI_DIR.rglob("*") if p.suffix in (".py", ".pyx")):
        m = re.search(r"^\s*# xfail:\s*(.+)$", path.read_text(), re.M)
        marks = [pytest.mark.xfail(strict=True, reason=m.group(1))] if m else []
        yield pytest.param(path, id=_rel(path), marks=marks)


UI_FILES = list(_params())


def _golden(path) -> str:
    stderr = path.with_suffix(".stderr")
    if not stderr.exists():
        pytest.fail(f"{_rel(stderr)} does not exist: bless it with `PYCC_BLESS=1 cargo test -p pycc-compiler --test ui`")
    return stderr.read_text()


def _has_errors(golden: str) -> bool:
    return re.search(r"^\S+:\d+:\d+: error: ", golden, re.M) is not None


@pytest.mark.parametrize("path", UI_FILES)
def test_compile_source_raises_the_golden_diagnostics(path):
    pycc = pt.import_pycc()
    expected = _golden(path)
    if not _has_errors(expected):
        # Warnings only: the file compiles.
        pycc.compile_source(path.read_text(), name=path.stem, filename=_rel(path))
        return
    with pytest.raises(pycc.CompileError) as info:
        pycc.compile_source(path.read_text(), name=path.stem, filename=_rel(path))
    assert str(info.value).rstrip("\n") == expected.rstrip("\n")


@pytest.fixture(scope="module")
def cli():
    cmd, tried = pt.find_cli()
    if cmd is None:
        pytest.skip(f"no `pycc` CLI (tried: {tried})")
    return cmd


@pytest.mark.parametrize("path", UI_FILES)
def test_cli_check_prints_the_golden_diagnostics(path, cli):
    expected = _golden(path)
    r = subprocess.run(cli + ["check", _rel(path)], cwd=pt.ROOT, capture_output=True, text=True, timeout=120)
    if _has_errors(expected):
        assert r.returncode != 0, f"`pycc check {_rel(path)}` exited 0:\n{r.stdout}{r.stderr}"
    else:
        assert r.returncode == 0, f"`pycc check {_rel(path)}` (warnings only) exited {r.returncode}:\n{r.stderr}"
    assert r.stderr.rstrip("\n") == expected.rstrip("\n"), f"`pycc check` printed:\n{r.stderr}\nexpected:\n{expected}"
