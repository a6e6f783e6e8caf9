"""`make reliability`: the fault, hostile-input and soak cases, one line each with its figures.

python -m tests.reliability [CASE...]   (cases: see CASES; default all)
"""

from __future__ import annotations

import socketserver
import sys
import time

from tests.reliability import bounds, faults, kill9, soak
from tests.reliability.common import RESULTS

CASES = {
    "kill9": kill9.run,
    "transport": faults.transport,
    "smtp": faults.smtp,
    "locked": faults.locked,
    "diskfull": faults.disk_full,
    "readonly": faults.read_only,
    "bounds": bounds.run,
    "fuzz": bounds.fuzz,
    "soak": soak.run,
}


def main(names: list[str]) -> int:
    # Clients killed or cut off mid-request are the cases under test: the replica's servers
    # need not print a traceback for each reset connection.
    socketserver.BaseServer.handle_error = lambda self, request, address: None
    started = time.monotonic()
    for name in names or list(CASES):
        try:
            CASES[name]()
        except Exception as exc:  # a case that breaks is a failed case, and the others still run
            print(f"FAIL  {name:<34} raised {type(exc).__name__}: {exc}", flush=True)
            RESULTS.append((False, name, str(exc)))
    failed = [case for ok, case, _ in RESULTS if not ok]
    print(
        f"{len(RESULTS) - len(failed)} of {len(RESULTS)} cases passed in "
        f"{time.monotonic() - started:.0f} s"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
