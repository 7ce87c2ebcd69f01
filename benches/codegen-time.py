"""Process time (user + system, from getrusage of the child) of `xtask codegen --check`
for ivschat over repeated runs. Usage: codegen-time.py XTASK_BINARY RUNS (run from
the main workspace root). Prints one JSON line with the median, min and max in ms."""

import json
import resource
import subprocess
import sys


def run_once(binary):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([binary, "codegen", "--check"], check=True, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)) * 1e3


def main(binary, runs):
    times = sorted(run_once(binary) for _ in range(runs))
    print(json.dumps({
        "runs": runs,
        "median_ms": round(times[len(times) // 2], 1),
        "min_ms": round(times[0], 1),
        "max_ms": round(times[-1], 1),
    }))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
