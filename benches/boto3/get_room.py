"""GetRoom through boto3 against the bench server, one call at a time.

Prints one JSON line like the Rust driver: calls per second, p50 and p99 latency,
and this process's CPU time per call (getrusage, the server not included).
"""

import json
import resource
import sys
import time

import boto3
from botocore.config import Config

ROOM_ARN = "arn:aws:ivschat:us-west-2:123456789012:room/g1H2I3j4k5L6"


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main(port, calls, warmup):
    client = boto3.client(
        "ivschat",
        region_name="us-west-2",
        endpoint_url=f"http://127.0.0.1:{port}",
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        config=Config(retries={"mode": "standard"}),
    )
    for _ in range(warmup):
        client.get_room(identifier=ROOM_ARN)
    latencies = []
    cpu_before = cpu_seconds()
    started = time.perf_counter()
    for _ in range(calls):
        call_started = time.perf_counter()
        room = client.get_room(identifier=ROOM_ARN)
        latencies.append(time.perf_counter() - call_started)
        assert room["arn"]
    wall = time.perf_counter() - started
    cpu = cpu_seconds() - cpu_before
    latencies.sort()
    pick = lambda p: latencies[round((len(latencies) - 1) * p)] * 1e6
    print(json.dumps({
        "client": "boto3",
        "concurrency": 1,
        "calls": calls,
        "seconds": round(wall, 3),
        "calls_per_sec": round(calls / wall),
        "p50_us": round(pick(0.50), 1),
        "p99_us": round(pick(0.99), 1),
        "cpu_us_per_call": round(cpu / calls * 1e6, 2),
        "boto3": boto3.__version__,
    }))


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8099
    calls = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    main(port, calls, warmup=200)
