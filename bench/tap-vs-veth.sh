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

# 1. netstack4j on TAP: the command makes the namespace and the device and runs the iperf3 server.
./netstack4j tap --name "$ns_tap" --dev ns4jbench0 --kernel-address 10.203.0.1/24 --address 10.203.0.2/24 \
  --quiet --for "$((secs * 2 + 60))s" >/dev/null &
tap_pid=$!
for _ in $(seq 1 200); do
  ip netns exec "$ns_tap" ping -c 1 -W 1 10.203.0.2 >/dev/null 2>&1 && break
  sleep 0.1 # polls for the stack to come up
done
tap_fwd=$(ip netns exec "$ns_tap" iperf3 -c 10.203.0.2 -t "$secs" -J | gbits)
tap_rev=$(ip netns exec "$ns_tap" iperf3 -c 10.203.0.2 -t "$secs" -R -J | gbits)
kill -TERM "$tap_pid"; wait "$tap_pid" 2>/dev/null || true; tap_pid=""

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
echo "iperf3 -t $secs, Gbit/s as the receiver counted (sender's count in brackets)"
printf '%-34s %s\n' "kernel -> netstack4j (TAP)" "$(cut -d' ' -f2 <<<"$tap_fwd") [$(cut -d' ' -f1 <<<"$tap_fwd")]"
printf '%-34s %s\n' "netstack4j -> kernel (TAP, -R)" "$(cut -d' ' -f2 <<<"$tap_rev") [$(cut -d' ' -f1 <<<"$tap_rev")]"
printf '%-34s %s\n' "kernel -> kernel (veth)" "$(cut -d' ' -f2 <<<"$veth_fwd") [$(cut -d' ' -f1 <<<"$veth_fwd")]"
printf '%-34s %s\n' "kernel -> kernel (veth, -R)" "$(cut -d' ' -f2 <<<"$veth_rev") [$(cut -d' ' -f1 <<<"$veth_rev")]"
echo "P2: TAP/veth = $(ratio "$(cut -d' ' -f2 <<<"$tap_fwd")" "$(cut -d' ' -f2 <<<"$veth_fwd")") (kernel sends)," \
  "$(ratio "$(cut -d' ' -f2 <<<"$tap_rev")" "$(cut -d' ' -f2 <<<"$veth_rev")") (stack sends)"
