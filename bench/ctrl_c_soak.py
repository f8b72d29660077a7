"""Ctrl-C under load (SPEC 22): the suite's Ctrl-C test N times in a row while busy
processes keep every core at 100 %.

    python3 bench/ctrl_c_soak.py [--runs 20]

Prints each run's result and time, and exits 1 if any run failed. Not a timed test:
the suite runs the test once; this is the soak the issue asks for.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TEST = "tests/test_serve.py::test_ctrl_c_in_the_middle_of_the_first_build_stops_serve_within_2_seconds"


def burn() -> None:
    while True:
        pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    burners = [multiprocessing.Process(target=burn, daemon=True) for _ in range(os.cpu_count() or 1)]
    for burner in burners:
        burner.start()
    failed = 0
    try:
        for run in range(1, args.runs + 1):
            started = time.monotonic()
            result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", TEST],
                                    cwd=REPO, capture_output=True, text=True)
            passed = result.returncode == 0
            failed += not passed
            print(f"run {run:2}: {'passed' if passed else 'FAILED'} in {time.monotonic() - started:.1f} s", flush=True)
            if not passed:
                print(result.stdout[-3000:], flush=True)
    finally:
        for burner in burners:
            burner.terminate()
    print(f"{args.runs - failed} of {args.runs} runs passed with {len(burners)} busy processes")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
