"""Turns benches/results/*.jsonl into the Markdown table of BENCHMARKS.md.

  report.py RESULTS_DIR         print the tables
  report.py --criterion DIR     print criterion's estimates as JSON lines
"""

import json
import pathlib
import sys


def read_jsonl(path):
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def criterion_estimates(root):
    for bench in sorted(pathlib.Path(root).glob("*/new/benchmark.json")):
        meta = json.loads(bench.read_text())
        estimates = json.loads((bench.parent / "estimates.json").read_text())
        print(json.dumps({
            "bench": meta["full_id"],
            "median_ns": round(estimates["median"]["point_estimate"], 1),
            "mean_ns": round(estimates["mean"]["point_estimate"], 1),
        }))


def best(load, client, concurrency):
    runs = [r for r in load if r["client"] == client and r["concurrency"] == concurrency]
    return max(runs, key=lambda r: r["calls_per_sec"]) if runs else None


def verdict(ratio, goal, at_least):
    met = ratio >= goal if at_least else ratio <= goal
    return "met" if met else "**missed**"


def row(target, ours, theirs, ratio, goal, at_least, unit=""):
    sign = ">=" if at_least else "<="
    shown = {1 / 3: "1/3", 1 / 5: "1/5"}.get(goal, f"{goal:g}")
    return (f"| {target} | {ours}{unit} | {theirs}{unit} | {ratio:.3f} | {sign} {shown} "
            f"| {verdict(ratio, goal, at_least)} |")


def target_rows(out):
    rows = []
    builds = {(b["build"], b["profile"]): b for b in read_jsonl(out / "builds.jsonl")}
    for profile in ("debug", "release"):
        ours, sdk = builds.get(("ours", profile)), builds.get(("sdk", profile))
        if ours and sdk:
            rows.append(row(f"clean build, {profile} (s)", ours["seconds"], sdk["seconds"],
                            ours["seconds"] / sdk["seconds"], 1 / 3, False))
            fewer = 1 - ours["crates"] / sdk["crates"]
            rows.append(f"| crates compiled, {profile} | {ours['crates']} | {sdk['crates']} "
                        f"| {ours['crates'] / sdk['crates']:.3f} | far fewer "
                        f"| {fewer:.0%} fewer |")
    release = builds.get(("ours", "release")), builds.get(("sdk", "release"))
    if all(release):
        ours, sdk = (b["stripped_bytes"] for b in release)
        rows.append(row("release binary, stripped (bytes)", ours, sdk, ours / sdk, 1 / 3, False))
    lines = {l["source"]: l for l in read_jsonl(out / "lines.jsonl")}
    if "ours" in lines and "sdk" in lines:
        ours, sdk = lines["ours"], lines["sdk"]
        rows.append(row("generated source (lines)", f"{ours['lines']} in {ours['files']} files",
                        f"{sdk['lines']} in {sdk['files']} files",
                        ours["lines"] / sdk["lines"], 1 / 5, False))
    load = read_jsonl(out / "load.jsonl")
    for concurrency, goal in ((16, 2), (1, 1.5)):
        ours, sdk = best(load, "ours", concurrency), best(load, "sdk", concurrency)
        if ours and sdk:
            rows.append(row(f"GetRoom calls/s, concurrency {concurrency}",
                            ours["calls_per_sec"], sdk["calls_per_sec"],
                            ours["calls_per_sec"] / sdk["calls_per_sec"], goal, True))
            rows.append(row(f"client CPU per call, concurrency {concurrency} (µs)",
                            ours["cpu_us_per_call"], sdk["cpu_us_per_call"],
                            ours["cpu_us_per_call"] / sdk["cpu_us_per_call"], 0.5, False))
    ours, boto3 = best(load, "ours", 1), best(load, "boto3", 1)
    if ours and boto3:
        rows.append(row("GetRoom calls/s vs boto3, concurrency 1",
                        ours["calls_per_sec"], boto3["calls_per_sec"],
                        ours["calls_per_sec"] / boto3["calls_per_sec"], 8, True))
    for c in read_jsonl(out / "codegen.jsonl"):
        rows.append(f"| `xtask codegen --check` process time, median of {c['runs']} (ms) "
                    f"| {c['median_ms']} (min {c['min_ms']}, max {c['max_ms']}) | – | – "
                    f"| < 100 ms | {'met' if c['median_ms'] < 100 else '**missed**'} |")
    return rows


def load_rows(out):
    rows = []
    for r in read_jsonl(out / "load.jsonl"):
        rows.append(f"| {r['client']} | {r['concurrency']} | {r['calls']} | {r['calls_per_sec']} "
                    f"| {r['p50_us']} | {r['p99_us']} | {r['cpu_us_per_call']} |")
    return rows


def main(out):
    print("| measure | ours | aws-sdk-ivschat (or boto3) | ratio | target | |")
    print("|---|---|---|---|---|---|")
    print("\n".join(target_rows(out)))
    print()
    print("| client | concurrency | calls | calls/s | p50 µs | p99 µs | client CPU µs/call |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(load_rows(out)))
    print()
    print("| micro-benchmark (ours) | median | mean |")
    print("|---|---|---|")
    for m in read_jsonl(out / "micro.jsonl"):
        print(f"| {m['bench']} | {m['median_ns'] / 1e3:.2f} µs | {m['mean_ns'] / 1e3:.2f} µs |")


if __name__ == "__main__":
    if sys.argv[1] == "--criterion":
        criterion_estimates(sys.argv[2])
    else:
        main(pathlib.Path(sys.argv[1]))
