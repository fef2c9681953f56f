#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The ctm authors
# SPDX-License-Identifier: Apache-2.0
#
# Measures ctm-mpi on 1 and 2 ranks against the single-process `ctm match`, and checks that all
# three write the same bytes (docs/scale-out.md). The cohort is the bundled patients repeated with
# changed ids (every copy is synthetic), as JSON Lines.
#
#   bench/scale-out.sh BUILD_DIR [COPIES] [TOP]
#
# BUILD_DIR holds src/cli/ctm and src/cli/ctm-mpi (a release build); COPIES (default 200) times
# the 27 bundled patients; TOP (default 3) trials kept per patient. Prints wall times, patients/s,
# the speed-up and the scaling efficiency, and each run's peak memory per rank.
set -euo pipefail
cd "$(dirname "$0")/.."

build=${1:?usage: bench/scale-out.sh BUILD_DIR [COPIES] [TOP]}
copies=${2:-200}
top=${3:-3}
ctm="$build/src/cli/ctm"
ctm_mpi="$build/src/cli/ctm-mpi"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$copies" "$work/cohort.jsonl" <<'EOF'
import glob, json, sys
copies, out = int(sys.argv[1]), sys.argv[2]
docs = [json.load(open(f)) for f in sorted(glob.glob("data/patients/**/*.json", recursive=True))]
with open(out, "w") as f:
    for k in range(copies):
        for d in docs:
            d = dict(d, id=f"{d['id']}-R{k:05d}")
            f.write(json.dumps(d, separators=(", ", ": ")) + "\n")
EOF
patients=$(wc -l < "$work/cohort.jsonl")
bytes=$(stat -c %s "$work/cohort.jsonl")
args=(--as-of 2026-11-01 --top "$top")
mpirun=(mpirun --oversubscribe)
[[ $(id -u) -eq 0 ]] && mpirun+=(--allow-run-as-root)

echo "cohort: $patients patients, $bytes bytes; catalog: bundled; $(nproc) cores"
seconds() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.2f", (e - s) / 1e9 }'; }

# Peak resident memory (KiB) of one process: /usr/bin/time when present, else nothing.
peak() { if [[ -x /usr/bin/time ]]; then /usr/bin/time -f %M -o "$@"; else shift; "$@"; fi; }
export -f peak

for threads in 1 "$(nproc)"; do
  start=$(date +%s%N)
  peak "$work/rss.single" "$ctm" match --patients "$work/cohort.jsonl" --format json \
    --threads "$threads" "${args[@]}" > "$work/single.jsonl" || [[ $? -eq 1 ]]
  echo "ctm match, 1 process x $threads threads: $(seconds "$start" "$(date +%s%N)") s," \
    "peak $(cat "$work/rss.single" 2>/dev/null || echo '?') KiB"
done

# Ranks x 1 thread each, so that 1 -> 2 ranks is the scaling step.
declare -A wall
for np in 1 2; do
  start=$(date +%s%N)
  "${mpirun[@]}" -np "$np" bash -c 'peak "$0.$OMPI_COMM_WORLD_RANK" "${@}"' "$work/rss.$np" \
    "$ctm_mpi" match --patients "$work/cohort.jsonl" --out "$work/mpi$np.jsonl" --threads 1 \
    "${args[@]}" 2> "$work/stats.$np" || [[ $? -eq 1 ]]
  wall[$np]=$(seconds "$start" "$(date +%s%N)")
  cmp -s "$work/single.jsonl" "$work/mpi$np.jsonl" || { echo "np=$np: output differs" >&2; exit 1; }
  echo "ctm-mpi -np $np x 1 thread: ${wall[$np]} s (mpirun start-up included)," \
    "peak KiB per rank: $(cat "$work"/rss."$np".* 2>/dev/null | tr '\n' ' ')"
  sed 's/^/    /' "$work/stats.$np"
done
awk -v p="$patients" -v t1="${wall[1]}" -v t2="${wall[2]}" 'BEGIN {
  printf "patients/s: 1 rank %.1f, 2 ranks %.1f; speed-up %.2f, efficiency %.0f%%\n",
         p / t1, p / t2, t1 / t2, 100 * t1 / (2 * t2) }'
echo "outputs identical: yes"
