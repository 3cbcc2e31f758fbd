"""A crawl in a child process under a socket audit hook, with a test resolver.

The hook records every name looked up (past the test resolver) and every
address connected to, and refuses any that is not loopback, so a failing guard sends
nothing outside either. ``hosts`` maps names to addresses for the child's
resolver (``gethostbyname``/``getaddrinfo``): a name can "resolve" to an
internal address that is never contacted, or (mapped to "") not at all.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.support.cli import ROOT

LOOPBACK = ("127.0.0.1", "::1", "localhost")

CHILD = """
import json, os, socket, sys
hosts = json.loads(os.environ.get("TEST_HOSTS", "{}"))
connections = []
dialed = []  # host:port of every connection attempt
real_gethostbyname, real_getaddrinfo = socket.gethostbyname, socket.getaddrinfo

def lookup(name):
    if hosts.get(name) == "":  # a name that does not resolve
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    return hosts.get(name)

def gethostbyname(name):
    return lookup(name) or real_gethostbyname(name)

def getaddrinfo(host, *args, **kwargs):
    name = host.decode() if isinstance(host, bytes) else host
    return real_getaddrinfo(lookup(name) or host, *args, **kwargs)

socket.gethostbyname, socket.getaddrinfo = gethostbyname, getaddrinfo

def audit(event, args):
    if event in ("socket.getaddrinfo", "socket.gethostbyname"):  # a name looked up
        host = args[0].decode() if isinstance(args[0], bytes) else str(args[0])
    elif event == "socket.connect":
        address = args[1]
        host = address[0] if isinstance(address, tuple) else str(address)
        dialed.append(f"{host}:{address[1]}" if isinstance(address, tuple) else host)
    else:
        return
    connections.append(host)
    if host not in ("127.0.0.1", "::1", "localhost"):
        raise PermissionError(f"outside connection refused: {host}")

sys.addaudithook(audit)
from monitor.cli import main
code = main(["--config", sys.argv[1], "crawl", "--alert-wait", "0"])
print("CONNECTIONS " + json.dumps({"hosts": connections, "dialed": dialed}))
sys.exit(code)
"""


@dataclass
class AuditedCrawl:
    returncode: int
    stdout: str  # without the CONNECTIONS line
    stderr: str
    connections: list[str]
    dialed: list[str]  # host:port of every connection attempt

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    @property
    def outside(self) -> list[str]:
        return sorted({c for c in self.connections if c not in LOOPBACK})


def audited_crawl(
    config: Path, hosts: dict[str, str] | None = None, env: dict[str, str] | None = None
) -> AuditedCrawl:
    """Run ``noticewatch crawl`` on ``config`` in an audited child process."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(config)],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "TEST_HOSTS": json.dumps(hosts or {}), **(env or {})},
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("CONNECTIONS ")), "")
    audit = json.loads(line.removeprefix("CONNECTIONS ") or '{"hosts": [], "dialed": []}')
    stdout = "".join(x for x in done.stdout.splitlines(True) if not x.startswith("CONNECTIONS "))
    return AuditedCrawl(done.returncode, stdout, done.stderr, audit["hosts"], audit["dialed"])
