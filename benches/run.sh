#!/usr/bin/env bash
# Runs every benchmark of the generated ivschat client against aws-sdk-ivschat and
# boto3, side by side on this machine, and prints the table (see BENCHMARKS.md).
#
#   benches/run.sh                 everything (clean builds take most of the time)
#   benches/run.sh --skip-builds   everything but the four clean builds
#
# Results land in benches/results/*.jsonl; the table goes to stdout.
set -euo pipefail
bench="$(cd "$(dirname "$0")" && pwd)"
main="$(dirname "$bench")"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$main/target/benches}"
out="$bench/results"
port="${BENCH_PORT:-18099}"
rounds="${BENCH_ROUNDS:-2}"
skip_builds=false
[[ "${1:-}" == --skip-builds ]] && skip_builds=true
mkdir -p "$out"
rm -f "$out"/*.jsonl

log() { echo "== $*" >&2; }

log "building the xtask, server and drivers (release)"
(cd "$main" && CARGO_TARGET_DIR="$main/target" cargo build --release --quiet -p xtask)
(cd "$bench" && cargo build --release --quiet -p bench-server -p bench-driver)

log "load: GetRoom against bench-server on 127.0.0.1:$port"
"$CARGO_TARGET_DIR/release/bench-server" --port "$port" >/dev/null &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
sleep 0.5
kill -0 "$server" || { echo "bench-server did not start (port $port busy?)" >&2; exit 1; }
driver="$CARGO_TARGET_DIR/release/bench-driver"
for round in $(seq "$rounds"); do
  for concurrency in 1 16; do
    calls=$(( concurrency == 1 ? 20000 : 60000 ))
    for client in ours sdk; do
      "$driver" --client "$client" --port "$port" --concurrency "$concurrency" \
        --calls "$calls" | tee -a "$out/load.jsonl" >&2
    done
  done
  python3 "$bench/boto3/get_room.py" "$port" 2000 | tee -a "$out/load.jsonl" >&2
done
kill "$server" 2>/dev/null || true
trap - EXIT

log "generated source lines"
sdk_version=$(grep -A1 '^name = "aws-sdk-ivschat"$' "$bench/Cargo.lock" | sed -n 's/^version = "\(.*\)"/\1/p')
sdk_src=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/aws-sdk-ivschat-"$sdk_version"/src | head -1)
count_lines() {
  local files lines
  files=$(find "$1" -name '*.rs' | wc -l)
  lines=$(find "$1" -name '*.rs' -print0 | xargs -0 cat | wc -l)
  printf '{"source":"%s","files":%d,"lines":%d,"version":"%s"}\n' "$2" "$files" "$lines" "$3"
}
{
  count_lines "$main/generated/ivschat/src" ours "0.1.0"
  count_lines "$sdk_src" sdk "$sdk_version"
} | tee "$out/lines.jsonl" >&2

log "codegen: process time of xtask codegen --check, 25 runs"
(cd "$main" && python3 "$bench/codegen-time.py" target/release/xtask 25) | tee "$out/codegen.jsonl" >&2

log "micro-benchmarks (criterion)"
(cd "$bench" && cargo bench --quiet -p micro -- --warm-up-time 1 --measurement-time 3 >&2)
python3 "$bench/report.py" --criterion "$CARGO_TARGET_DIR/criterion" > "$out/micro.jsonl"

if ! $skip_builds; then
  log "clean builds, debug and release (minutes)"
  "$bench/measure-build.sh" | tee "$out/builds.jsonl" >&2
fi

python3 "$bench/report.py" "$out"
