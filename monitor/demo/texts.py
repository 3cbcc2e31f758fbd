"""Notice texts shipped with the demo: parse ``notices.txt``.

The file holds realistic notice titles and paragraphs (a few cleaned from the
reference seed pages, the rest written for the demo). A text is a template:
``{year}``, ``{next}``, ``{prev}`` and ``{n}`` are filled in for the year a
mock site publishes it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

KINDS = ("bureau", "school", "news")


@dataclass(frozen=True)
class NoticeText:
    """One notice template as written in ``notices.txt``."""

    kind: str
    title: str
    paragraphs: tuple[str, ...]
    issuer: str | None = None
    doc_number: str | None = None
    sign: str | None = None
    files: tuple[str, ...] = ()
    traditional: bool = False
    seed: str | None = None

    def filled(self, year: int) -> NoticeText:
        """The text with its year placeholders filled for ``year``."""

        def fill(value: str) -> str:
            for key, number in (
                ("{year}", year),
                ("{next}", year + 1),
                ("{prev}", year - 1),
                ("{n}", year - 1984),
            ):
                value = value.replace(key, str(number))
            return value

        return NoticeText(
            kind=self.kind,
            title=fill(self.title),
            paragraphs=tuple(fill(p) for p in self.paragraphs),
            issuer=self.issuer,
            doc_number=fill(self.doc_number) if self.doc_number else None,
            sign=self.sign,
            files=self.files,
            traditional=self.traditional,
            seed=self.seed,
        )


def _parse_options(line: str) -> dict[str, str]:
    options: dict[str, str] = {}
    for part in line.split(";"):
        if "=" in part:
            key, value = part.split("=", 1)
            options[key.strip()] = value.strip()
    return options


def parse_texts(source: str) -> list[NoticeText]:
    """Parse the ``notices.txt`` format into templates, in file order."""
    texts: list[NoticeText] = []
    header: tuple[str, str] | None = None
    options: dict[str, str] = {}
    paragraphs: list[str] = []

    def flush() -> None:
        if header is None:
            return
        kind, title = header
        if kind not in KINDS or not paragraphs:
            raise ValueError(f"bad notice record {title!r}")
        files = options.get("files", "")
        texts.append(
            NoticeText(
                kind=kind,
                title=title,
                paragraphs=tuple(paragraphs),
                issuer=options.get("issuer"),
                doc_number=options.get("doc"),
                sign=options.get("sign"),
                files=tuple(f.strip() for f in files.split(",") if f.strip()),
                traditional=options.get("script") == "trad",
                seed=options.get("seed"),
            )
        )

    for raw in source.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@ "):
            flush()
            kind, title = line[2:].split("|", 1)
            header = (kind.strip(), title.strip())
            options, paragraphs = {}, []
        elif line.startswith("> "):
            options = _parse_options(line[2:])
        else:
            paragraphs.append(line)
    flush()
    return texts


@functools.cache
def load_texts() -> tuple[NoticeText, ...]:
    """All notice templates shipped in ``monitor/demo/notices.txt``."""
    source = resources.files("monitor.demo").joinpath("notices.txt").read_text("utf-8")
    return tuple(parse_texts(source))


def texts_of(kind: str) -> tuple[NoticeText, ...]:
    """The templates of one kind (bureau, school or news), in file order."""
    return tuple(t for t in load_texts() if t.kind == kind)
