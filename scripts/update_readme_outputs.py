"""Run the README's commands and rewrite what it shows from the real runs.

``python scripts/update_readme_outputs.py`` (from anywhere) runs, in a scratch folder with a
copy of ``sample_traces/``:

* every ```` ```bash ```` block followed directly by a plain ```` ``` ```` block: its first
  command, whose stdout becomes the plain block (``curator check``, ``curator export``);
* the ``curator decide`` examples, on a copy of the workspace, with a real trace id whose
  call invents a phone number;
* the dry run against ``python -m tests.providers.fake_server``: upload, finetune with the
  dataset id the upload printed, jobs, deploy, eval.

Every command must exit 0. ``tests/test_readme.py`` calls :func:`render` and fails when the
README differs from its result, so ids, hashes and outputs cannot go stale.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
EXPORT_DIR = "/tmp/ds"  # what the README writes; runs use a folder of the scratch dir instead
FAKE_PORT = "8765"
BLOCK = re.compile(r"```(?P<lang>[a-z]*)\n(?P<body>.*?)```", re.DOTALL)
DATASET_ID = re.compile(r"tc-planning-train-[0-9a-f]+")
DECIDE_CALL = re.compile(r"(curator decide )([0-9a-f]{6,})( --reject)")
CLEAN_ENV = ("_API_KEY", "_BASE_URL", "_ACCOUNT_ID", "NO_COLOR", "CURATOR_")


class ExampleFailed(RuntimeError):
    """A README command did not exit 0."""


class Runner:
    """Runs README lines in a scratch folder, as a user would from a fresh clone."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not any(part in key for part in CLEAN_ENV)
        }
        self.env["PYTHONPATH"] = str(ROOT)
        self.substitutions: dict[str, str] = {}

    def command(self, line: str, *, workspace: Path | None = None) -> list[str]:
        words = shlex.split(line, comments=True)
        words = [word.replace(EXPORT_DIR, str(self.workdir / "ds")) for word in words]
        if words[0] != "curator":
            raise ValueError(f"not a curator command: {line}")
        extra = ["--workspace", str(workspace)] if workspace else []
        return [sys.executable, "-m", "core.cli", *extra, *words[1:]]

    def run(self, line: str, *, workspace: Path | None = None) -> str:
        """Run one ``curator`` line; its stdout with scratch paths shown as the README's."""
        done = subprocess.run(
            self.command(line, workspace=workspace),
            cwd=self.workdir,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0:
            raise ExampleFailed(f"{line}\nexit {done.returncode}\n{done.stderr}{done.stdout}")
        out = done.stdout.replace(str(self.workdir / "ds"), EXPORT_DIR)
        return out.replace(f"{self.workdir}/", "")

    def shell(self, line: str) -> None:
        subprocess.run(["bash", "-c", line], cwd=self.workdir, env=self.env, check=True)


def _lines(body: str) -> list[str]:
    """The block's commands, ``\\``-continued lines joined."""
    joined = re.sub(r"\\\n\s*", " ", body)
    return [line.strip() for line in joined.splitlines() if line.strip()]


def _decide_id(runner: Runner) -> str:
    """An 8-character prefix of a call that invents a phone number (the README's example)."""
    import orjson

    report = orjson.loads(runner.run("curator check sample_traces --json"))
    for call in report["calls"]:
        for finding in call["findings"]:
            if finding["rule"].endswith("ungrounded") and "phone" in finding["message"]:
                return call["trace_id"][:8]
    raise ExampleFailed("no call in sample_traces invents a phone number")


def _dry_run(runner: Runner, body: str) -> None:
    from tests.providers.fake_server import FakeProviderServer

    server: FakeProviderServer | None = None
    try:
        for line in _lines(body):
            for old, new in runner.substitutions.items():
                line = line.replace(old, new)
            if line.startswith("python -m tests.providers.fake_server"):
                server = FakeProviderServer().start()
                server.state.page_size = 50
            elif line.startswith("export "):
                port = str(server.port if server else FAKE_PORT)
                for word in shlex.split(line, comments=True)[1:]:
                    key, _, value = word.partition("=")
                    runner.env[key] = value.replace(FAKE_PORT, port)
            elif line.startswith("printf "):
                runner.shell(line)
            elif line.startswith("curator "):
                out = runner.run(line)
                if line.startswith("curator upload"):
                    found = DATASET_ID.search(out)
                    if found is None:
                        raise ExampleFailed(f"{line}: no planning dataset id in\n{out}")
                    runner.substitutions[DATASET_ID.search(body).group(0)] = found.group(0)
    finally:
        if server is not None:
            server.stop()


def render(readme: str, workdir: Path) -> str:
    """The README with every shown output, id and hash taken from a real run in ``workdir``."""
    shutil.copytree(ROOT / "sample_traces", workdir / "sample_traces")
    runner = Runner(workdir)
    blocks = list(BLOCK.finditer(readme))
    replaced: list[tuple[int, int, str]] = []  # (start, end, new body) of output blocks
    for index, block in enumerate(blocks):
        if block.group("lang") != "bash":
            continue
        body = block.group("body")
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if "python -m tests.providers.fake_server" in body:
            _dry_run(runner, body)
        elif "curator decide" in body:
            prefix = _decide_id(runner)
            runner.substitutions.update(
                {m.group(0): m.group(1) + prefix + m.group(3) for m in DECIDE_CALL.finditer(body)}
            )
            scratch = workdir / "decide-workspace"
            shutil.copytree(workdir / ".curator", scratch)
            for line in _lines(body):
                for old, new in runner.substitutions.items():
                    line = line.replace(old, new)
                runner.run(line, workspace=scratch)
        elif (
            following is not None
            and following.group("lang") == ""
            and readme[block.end() : following.start()].strip() == ""
        ):
            out = runner.run(_lines(body)[0])
            replaced.append((following.start("body"), following.end("body"), out))
    for start, end, text in reversed(replaced):
        readme = readme[:start] + text + readme[end:]
    for old, new in runner.substitutions.items():
        readme = readme.replace(old, new)
    return readme


def main() -> int:
    current = README.read_text()
    with tempfile.TemporaryDirectory(prefix="readme-") as scratch:
        try:
            updated = render(current, Path(scratch))
        except ExampleFailed as exc:
            print(f"a README command failed:\n{exc}", file=sys.stderr)
            return 1
    if updated == current:
        print("README.md is up to date")
        return 0
    README.write_text(updated)
    print("README.md updated from real runs; review with git diff README.md")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))  # tests.providers.fake_server, as `python -m` would find it
    sys.exit(main())
