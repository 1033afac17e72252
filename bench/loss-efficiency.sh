#!/usr/bin/env bash
# Issue 9's two loss measures, from `netstack4j transfer --json` runs on a simulated cable
# (100 Mbit/s, 10 ms one way), CUBIC and Reno side by side:
#  - retransmission efficiency: on the data direction (a->b), the segments the sender
#    retransmitted against the frames the link dropped; the goal is within 10 % at 1 % and 5 % loss;
#  - goodput against the Mathis bound MSS/RTT * C/sqrt(p) (C = sqrt(3/2), RTT = twice the delay),
#    at 0.1 %, 1 % and 5 % random loss per direction.
# Usage: bench/loss-efficiency.sh [SEEDS] (default 3 seeds per row; figures are sums over them).
# Simulated time only: the figures do not depend on this machine's speed.
set -euo pipefail
cd "$(dirname "$0")/.."
seeds="${1:-3}"
command -v python3 >/dev/null || { echo "loss-efficiency: python3 is not installed" >&2; exit 1; }
rate=100Mbit
delay=10ms
out="$(mktemp)"
trap 'rm -f "$out"' EXIT

for loss in 0.001 0.01 0.05; do
  case "$loss" in 0.001) bytes=40M ;; 0.01) bytes=16M ;; *) bytes=4M ;; esac
  # Buffers of 4 MiB: the receive window (64 KiB by default, no autotuning here) must not be the limit.
  for cc in cubic reno; do
    for seed in $(seq 1 "$seeds"); do
      printf '%s %s %s ' "$loss" "$cc" "$seed" >>"$out"
      ./netstack4j transfer --rate "$rate" --delay "$delay" --loss "$loss" --bytes "$bytes" \
        --congestion "$cc" --rcvbuf 4M --sndbuf 4M --seed "$seed" --json >>"$out"
    done
  done
done

python3 - "$out" <<'EOF'
import json, math, sys
rows = {}
for line in open(sys.argv[1]):
    loss, cc, seed, js = line.split(" ", 3)
    j = json.loads(js)
    if not j["match"]:
        sys.exit("loss-efficiency: a run did not complete byte for byte: %s %s seed %s" % (loss, cc, seed))
    d = j["directions"]["a->b"]
    r = rows.setdefault((float(loss), cc), {"runs": 0, "bytes": 0, "secs": 0.0, "retrans": 0, "dropped": 0, "missing": 0})
    r["runs"] += 1
    r["bytes"] += j["bytesReceived"]
    r["secs"] += j["simSeconds"]
    r["retrans"] += d["retransmittedSegments"]
    r["dropped"] += d["framesDropped"]
    r["missing"] += d["dataSegmentsMissing"]
mss, rtt = 1448, 0.020
print("100 Mbit/s, 10 ms one way (RTT %.0f ms), MSS %d; goodput over simulated time, sums over %d seeds" % (rtt * 1e3, mss, max(r["runs"] for r in rows.values())))
print("%-6s %-5s %12s %12s %6s %9s %9s %8s %s" % ("loss", "cc", "goodput", "Mathis", "ratio", "retrans", "dropped", "ret/drop", "within 10%"))
for (loss, cc) in sorted(rows):
    r = rows[(loss, cc)]
    goodput = r["bytes"] * 8 / r["secs"]
    bound = mss * 8 / rtt * math.sqrt(1.5) / math.sqrt(loss)
    eff = r["retrans"] / r["dropped"] if r["dropped"] else float("nan")
    ok = "yes" if abs(eff - 1) <= 0.10 else "NO"
    print("%-6s %-5s %7.2f Mbit/s %7.2f Mbit/s %6.2f %9d %9d %8.3f %s" % ("%g%%" % (loss * 100), cc, goodput / 1e6, bound / 1e6,
          goodput / bound, r["retrans"], r["dropped"], eff, ok if loss >= 0.01 else "(" + ok + ")"))
EOF
