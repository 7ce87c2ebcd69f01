#!/usr/bin/env bash
# Clean builds of `bin-ours` and `bin-sdk` (each calls GetRoom once), debug and
# release, each in a fresh target directory, one after the other on the same machine.
# Prints one JSON line per build: wall seconds, crates compiled, stripped binary size.
# Per-crate times are kept in <target>/cargo-timings/ (`cargo build --timings`).
set -euo pipefail
cd "$(dirname "$0")"
root="${BENCH_CLEAN_DIR:-../target/benches-clean}"
mkdir -p "$root"
cargo fetch --quiet
for profile in debug release; do
  for name in ours sdk; do
    dir="$root/$name-$profile"
    rm -rf "$dir"
    flags=(-p "bin-$name" --target-dir "$dir" --timings --offline)
    [[ $profile == release ]] && flags+=(--release)
    start=$(date +%s.%N)
    cargo build "${flags[@]}" 2>"$dir.log"
    end=$(date +%s.%N)
    crates=$(grep -c '^ *Compiling ' "$dir.log")
    cp "$dir/$profile/bin-$name" "$dir/bin-$name.stripped"
    strip "$dir/bin-$name.stripped"
    size=$(stat -c %s "$dir/bin-$name.stripped")
    unstripped=$(stat -c %s "$dir/$profile/bin-$name")
    printf '{"build":"%s","profile":"%s","seconds":%.1f,"crates":%d,"stripped_bytes":%d,"unstripped_bytes":%d}\n' \
      "$name" "$profile" "$(echo "$end - $start" | bc -l)" "$crates" "$size" "$unstripped"
  done
done
