"""Rebuild tests/realpages/pages/ from the pinned commits named in manifest.json.

Run from the project root: ``python tests/realpages/rebuild.py [--mirrors DIR]``. Each
repository must be on this machine as a git directory, at ``DIR/<owner>+<name>/repo``
(where the search tool's fetch puts it) or ``DIR/<owner>/<name>`` (a plain clone). Every
page is read at its pinned commit and checked against its sha256 before it is written.
A path ending in ``.gz`` is stored compressed: its sha256 is the stored blob's and the
page is written decompressed. Pages are written into ``pages/`` here, or with ``--out``
into another folder (such as ``shared/realpages/pages`` beside the project, which the
tests also read). No page is committed (see README.md).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.realpages import PAGES_DIR, ManifestEntry, load_manifest  # noqa: E402

DEFAULT_MIRRORS = Path("/work/.mirror")


def git_dir(mirrors: Path, repo: str) -> Path | None:
    """Where the repository's git data lives under ``mirrors``, if it is there."""
    owner, name = repo.split("/", 1)
    for candidate in (
        mirrors / f"{owner}+{name}" / "repo",
        mirrors / f"{owner}+{name}" / "repo" / ".git",
        mirrors / owner / name / ".git",
        mirrors / owner / name,
    ):
        if (candidate / "objects").is_dir():
            return candidate
    return None


def page_bytes(git: Path, entry: ManifestEntry) -> bytes:
    """The page's bytes at its pinned commit."""
    return subprocess.run(
        ["git", f"--git-dir={git}", "show", f"{entry.commit}:{entry.path}"],
        capture_output=True,
        check=True,
    ).stdout


def rebuild(mirrors: Path, out: Path = PAGES_DIR) -> list[str]:
    """Write every page whose repository is here; the problems, one line each."""
    out.mkdir(parents=True, exist_ok=True)
    problems = []
    for entry in load_manifest():
        git = git_dir(mirrors, entry.repo)
        if git is None:
            problems.append(f"{entry.id}: repository {entry.repo} not under {mirrors}")
            continue
        try:
            raw = page_bytes(git, entry)
        except subprocess.CalledProcessError as exc:
            problems.append(f"{entry.id}: {entry.repo}@{entry.commit[:10]}:{entry.path}: {exc}")
            continue
        digest = hashlib.sha256(raw).hexdigest()
        if digest != entry.sha256:
            problems.append(f"{entry.id}: sha256 {digest} is not the pinned {entry.sha256}")
            continue
        page = gzip.decompress(raw) if entry.path.endswith(".gz") else raw
        (out / f"{entry.id}.html").write_bytes(page)
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirrors", type=Path, default=DEFAULT_MIRRORS, help="git mirrors root")
    parser.add_argument("--out", type=Path, default=PAGES_DIR, help="folder to write pages to")
    args = parser.parse_args(argv)
    problems = rebuild(args.mirrors, args.out)
    for line in problems:
        print(line, file=sys.stderr)
    total = len(load_manifest())
    print(f"{total - len(problems)} of {total} real pages written to {args.out}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
