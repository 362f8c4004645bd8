"""Fixtures shared by the pycc Python tests: the backends (JIT and AOT), compiled once per
corpus file per session, and a watchdog so that compiled code that hangs cannot hang CI."""

from __future__ import annotations

import faulthandler
import os
from pathlib import Path

import pytest

import pycc_testing as pt

# Every function the tests compile goes through Cranelift's verifier, in the release build
# too (the compiler reads this when it compiles; subprocesses inherit it).
os.environ.setdefault("PYCC_VERIFY", "1")

# Seconds the whole session may run before the process is stopped with a traceback of every
# thread. Compiled code cannot be interrupted by a Python signal handler, so this is the only
# way out of an infinite loop in generated code. It is armed once per session, not per test:
# each arming starts a new watchdog thread, and the 8 MiB stacks of finished threads are
# reused by glibc for later threads, which tests of per-thread stack limits notice.
WATCHDOG_SECONDS = float(os.environ.get("PYCC_TEST_WATCHDOG", "1200"))


@pytest.fixture(autouse=True, scope="session")
def _watchdog():
    faulthandler.dump_traceback_later(WATCHDOG_SECONDS, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


class Backends:
    """Compiles corpus files on demand and caches the module (or the failure) per file."""

    def __init__(self, aot_dir: Path) -> None:
        self._aot_dir = aot_dir
        self._cache: dict[tuple[str, Path], object] = {}
        self._cli: list[str] | None = None
        self._cli_probe: str | None = None

    def cli(self) -> list[str]:
        """The `pycc` CLI, or a pytest skip saying why the AOT backend cannot run."""
        if self._cli_probe is None:
            self._cli, self._cli_probe = pt.find_cli()
        if self._cli is None:
            pytest.skip(
                "AOT backend unavailable: no `pycc` CLI with a `build` command "
                f"(tried: {self._cli_probe}); set PYCC_CLI to point at one"
            )
        return self._cli

    def module(self, backend: str, path: Path):
        if backend == "aot":
            cli = self.cli()  # skips (outside the cache) while `pycc build` is unavailable
        key = (backend, path)
        if key not in self._cache:
            try:
                if backend == "jit":
                    self._cache[key] = pt.import_pycc().compile_file(str(path))
                elif backend == "aot":
                    name = f"aot_{path.stem}"
                    self._cache[key] = pt.aot_build(cli, path, self._aot_dir / name, name)
                else:
                    raise ValueError(backend)
            except Exception as e:  # noqa: BLE001 - cached and re-raised for every test of the file
                self._cache[key] = e
        value = self._cache[key]
        if isinstance(value, Exception):
            raise AssertionError(f"{backend}: compiling {path.name} failed:\n{value}") from value
        return value


@pytest.fixture(scope="session")
def backends(tmp_path_factory) -> Backends:
    return Backends(tmp_path_factory.mktemp("aot"))


class Oracle:
    """The CPython side, loaded once per corpus file: the oracle namespace and the expected
    outcome of every generated input of every call."""

    def __init__(self) -> None:
        self._ns: dict[Path, object] = {}
        self._expected: dict[tuple[Path, int], list] = {}

    def namespace(self, path: Path) -> dict:
        if path not in self._ns:
            try:
                self._ns[path] = pt.load_oracle(path)
            except Exception as e:  # noqa: BLE001
                self._ns[path] = e
        ns = self._ns[path]
        if isinstance(ns, Exception):
            raise AssertionError(f"oracle: CPython cannot run {path.name}: {type(ns).__name__}: {ns}") from ns
        return ns

    def function(self, cf: pt.CorpusFile, name: str):
        ns = self.namespace(cf.path)
        if name in cf.refs:
            lineno, expr = cf.refs[name]
            env = {**ns, **pt.ref_namespace()}
            return eval(compile(expr, f"<ref {cf.path.name}:{lineno}>", "eval"), env)
        if name not in ns:
            raise AssertionError(f"oracle: {cf.path.name} defines no function `{name}`")
        return ns[name]

    def expected(self, cf: pt.CorpusFile, call: pt.Call) -> list:
        """[(args, kwargs, expected outcome)] for every input of ``call``."""
        key = (call.path, call.line)
        if key not in self._expected:
            fn = self.function(cf, call.func)
            self._expected[key] = [(a, k, pt.expected_outcome(call, fn, a, k)) for a, k in call.inputs()]
        return self._expected[key]


@pytest.fixture(scope="session")
def oracle() -> Oracle:
    return Oracle()
