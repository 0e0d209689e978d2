"""Timing probes for scripts/vs-hugo.sh.

Each probe polls over one keep-alive HTTP connection every POLL seconds,
so the time it reports is the server's, not that of starting a client
process per try. Every probe prints its result on stdout, or a reason on
stderr and exits 1: the script never reports a number it did not measure.

  start [--log FILE] [--then URL] TIMEOUT HEALTHZ_URL ARTICLE_URL -- COMMAND...
      runs COMMAND, waits for HEALTHZ_URL then ARTICLE_URL to answer 200
      (and then, with --then, waits for URL to answer 200: a search),
      and prints "PID SECONDS" (from just before exec). The server keeps
      running after the probe exits; the caller stops it by its pid.
  wait TIMEOUT URL
      waits for URL to answer 200.
  edit TIMEOUT FILE URL MARKER
      appends a sentence with MARKER to FILE in place, as an editor saves,
      and prints the seconds until URL serves a page containing MARKER.
"""

import http.client
import subprocess
import sys
import time
import urllib.parse

POLL = 0.002  # seconds between tries: fine enough for the 10 ms figures


class Poller:
    """GETs URLs on one connection, reconnecting when the server drops it."""

    def __init__(self, url):
        u = urllib.parse.urlsplit(url)
        self.host, self.port = u.hostname, u.port
        self.conn = None

    def get(self, url):
        """Returns (status, body), or (None, reason) when nothing answered."""
        u = urllib.parse.urlsplit(url)
        path = u.path + ("?" + u.query if u.query else "")
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            self.conn.request("GET", path)
            r = self.conn.getresponse()
            return r.status, r.read()
        except (OSError, http.client.HTTPException) as e:
            if self.conn is not None:
                self.conn.close()
            self.conn = None
            return None, str(e)


def fail(msg):
    print("probe: " + msg, file=sys.stderr)
    sys.exit(1)


def wait_200(poller, url, deadline, proc=None):
    last = "no answer"
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            fail(f"the server exited with status {proc.returncode} before {url} answered ({last})")
        status, body = poller.get(url)
        if status == 200:
            return
        last = f"status {status}" if status is not None else body
        time.sleep(POLL)
    fail(f"{url} did not answer 200 in time (last: {last})")


def start(args):
    log = subprocess.DEVNULL
    then = None
    while args[0] in ("--log", "--then"):
        if args[0] == "--log":
            log = open(args[1], "ab")
        else:
            then = args[1]
        args = args[2:]
    timeout, healthz, article = float(args[0]), args[1], args[2]
    if args[3] != "--":
        fail("start: want -- before the command")
    cmd = args[4:]
    poller = Poller(healthz)
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
    try:
        wait_200(poller, healthz, t0 + timeout, proc)
        status, _ = poller.get(article)
        if status != 200:
            fail(f"{article} answered {status} once {healthz} was up")
        if then is not None:
            wait_200(poller, then, t0 + timeout, proc)
    except SystemExit:
        proc.kill()  # nobody else knows its pid yet
        raise
    print(proc.pid, f"{time.monotonic() - t0:.4f}")


def wait(args):
    timeout, url = float(args[0]), args[1]
    wait_200(Poller(url), url, time.monotonic() + timeout)


def edit(args):
    timeout, path, url, marker = float(args[0]), args[1], args[2], args[3]
    poller = Poller(url)
    status, body = poller.get(url)  # opens the connection before the clock starts
    if status != 200:
        fail(f"{url} answered {status} before the edit")
    if marker.encode() in body:
        fail(f"{url} already shows {marker}")
    t0 = time.monotonic()
    with open(path, "a", encoding="utf-8") as f:
        f.write(f"\nThis generated sentence, {marker}, was added to time an edit.\n")
    deadline = t0 + timeout
    while time.monotonic() < deadline:
        status, body = poller.get(url)
        if status == 200 and marker.encode() in body:
            print(f"{time.monotonic() - t0:.4f}")
            return
        time.sleep(POLL)
    fail(f"{url} did not show {marker} within {timeout:.0f} s of the edit")


if __name__ == "__main__":
    probes = {"start": start, "wait": wait, "edit": edit}
    if len(sys.argv) < 2 or sys.argv[1] not in probes:
        fail("usage: probe.py start|wait|edit ... (see the docstring)")
    probes[sys.argv[1]](sys.argv[2:])
