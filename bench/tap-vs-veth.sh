#!/usr/bin/env bash
# Kernel iperf3 against netstack4j on a TAP device, both directions, side by side with the kernel
# against the kernel over a veth pair, in the same run (issue 11, measure P2). Needs root, iperf3
# and iproute2. Usage: bench/tap-vs-veth.sh [SECONDS] (default 10). Prints one line per run and
# the ratios; everything it makes (namespaces, devices, processes) is removed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-10}"
ns_tap=ns4jbench-tap
ns_a=ns4jbench-a
ns_b=ns4jbench-b
tap_pid=""
srv_pid=""

cleanup() {
  [ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null || true
  [ -n "$tap_pid" ] && kill -TERM "$tap_pid" 2>/dev/null && wait "$tap_pid" 2>/dev/null || true
  for n in "$ns_a" "$ns_b"; do ip netns del "$n" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

for t in iperf3 ip python3; do
  command -v "$t" >/dev/null || { echo "tap-vs-veth: $t is not installed" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "tap-vs-veth: needs root" >&2; exit 1; }

gbits() { # iperf3 JSON on stdin -> "sent received" in Gbit/s
  python3 -c 'import json,sys; j=json.load(sys.stdin); e=j["end"]
if "error" in j: print("error:", j["error"]); sys.exit(1)
print("%.2f %.2f" % (e["sum_sent"]["bits_per_second"]/1e9, e["sum_received"]["bits_per_second"]/1e9))'
}

# 1. netstack4j on TAP: the command makes the namespace and the device and runs the iperf3 server;
#    once plain, once with --offload (IFF_VNET_HDR: the kernel hands over TSO super-segments).
run_tap() { # $1: extra flags; prints "forward-sent forward-received reverse-sent reverse-received"
  ./netstack4j tap --name "$ns_tap" --dev ns4jbench0 --kernel-address 10.203.0.1/24 --address 10.203.0.2/24 \
    --quiet --for "$((secs * 2 + 60))s" $1 >/dev/null &
  tap_pid=$!
  for _ in $(seq 1 200); do
    ip netns exec "$ns_tap" ping -c 1 -W 1 10.203.0.2 >/dev/null 2>&1 && break
    sleep 0.1 # polls for the stack to come up
  done
  local fwd rev
  fwd=$(ip netns exec "$ns_tap" iperf3 -c 10.203.0.2 -t "$secs" -J | gbits)
  rev=$(ip netns exec "$ns_tap" iperf3 -c 10.203.0.2 -t "$secs" -R -J | gbits)
  kill -TERM "$tap_pid"; wait "$tap_pid" 2>/dev/null || true; tap_pid=""
  echo "$fwd $rev"
}
./netstack4j --version >/dev/null # builds the tools first if needed
tap=$(run_tap "")
tapo=$(run_tap "--offload")

# 2. The kernel against itself over a veth pair between two namespaces.
ip netns add "$ns_a"; ip netns add "$ns_b"
ip link add ns4jbva netns "$ns_a" type veth peer name ns4jbvb netns "$ns_b"
ip -n "$ns_a" addr add 10.204.0.1/24 dev ns4jbva; ip -n "$ns_a" link set ns4jbva up
ip -n "$ns_b" addr add 10.204.0.2/24 dev ns4jbvb; ip -n "$ns_b" link set ns4jbvb up
ip netns exec "$ns_b" iperf3 -s -B 10.204.0.2 >/dev/null 2>&1 &
srv_pid=$!
for _ in $(seq 1 100); do
  ip netns exec "$ns_b" ss -Hltn 'sport = :5201' | grep -q 5201 && break
  sleep 0.1
done
veth_fwd=$(ip netns exec "$ns_a" iperf3 -c 10.204.0.2 -t "$secs" -J | gbits)
veth_rev=$(ip netns exec "$ns_a" iperf3 -c 10.204.0.2 -t "$secs" -R -J | gbits)

ratio() { python3 -c "print('%.2f' % ($1 / $2))"; }
col() { cut -d' ' -f"$2" <<<"$1"; }
echo "iperf3 -t $secs, Gbit/s as the receiver counted (the sender's count in brackets)"
line() { printf '%-44s %s [%s]\n' "$1" "$2" "$3"; }
line "kernel -> netstack4j (TAP)" "$(col "$tap" 2)" "$(col "$tap" 1)"
line "netstack4j -> kernel (TAP, -R)" "$(col "$tap" 4)" "$(col "$tap" 3)"
line "kernel -> netstack4j (TAP --offload)" "$(col "$tapo" 2)" "$(col "$tapo" 1)"
line "netstack4j -> kernel (TAP --offload, -R)" "$(col "$tapo" 4)" "$(col "$tapo" 3)"
line "kernel -> kernel (veth)" "$(col "$veth_fwd" 2)" "$(col "$veth_fwd" 1)"
line "kernel -> kernel (veth, -R)" "$(col "$veth_rev" 2)" "$(col "$veth_rev" 1)"
echo "P2: TAP/veth = $(ratio "$(col "$tap" 2)" "$(col "$veth_fwd" 2)") (kernel sends)," \
  "$(ratio "$(col "$tap" 4)" "$(col "$veth_rev" 2)") (stack sends);" \
  "with --offload $(ratio "$(col "$tapo" 2)" "$(col "$veth_fwd" 2)") and $(ratio "$(col "$tapo" 4)" "$(col "$veth_rev" 2)")"
