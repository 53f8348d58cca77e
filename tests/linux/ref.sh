#!/bin/sh
# ref.sh - the Linux reference for test_linux_ref: builds, in network
# namespaces it creates and always deletes, the topology of
# tests/linux/ref.topo (h - r1 = r2 - b, r2 returning over the second link,
# r2 - b with MTU 1400) and prints what the kernel does, one "key value"
# line each (see probe.py). Needs root, iproute2 and python3.
# Usage: ref.sh PREFIX   (a unique prefix of at most 6 characters: it also
# names the veth pairs, which must fit IFNAMSIZ)
set -e
P=$1
D=$(dirname "$0")
cleanup() {
    for n in h r1 r2 b; do ip netns del "$P$n" 2>/dev/null || true; done
    for l in heth0 r1eth1 r1eth2 r2eth2; do ip link del "$P$l" 2>/dev/null || true; done
}
trap cleanup EXIT
for n in h r1 r2 b; do ip netns add "$P$n"; ip -n "$P$n" link set lo up; done
veth() { # ns1 if1 ns2 if2
    ip link add "$P$1$2" type veth peer name "$P$3$4"
    ip link set "$P$1$2" netns "$P$1" name "$2"
    ip link set "$P$3$4" netns "$P$3" name "$4"
    ip -n "$P$1" link set "$2" up
    ip -n "$P$3" link set "$4" up
}
veth h eth0 r1 eth0
veth r1 eth1 r2 eth0
veth r1 eth2 r2 eth1
veth r2 eth2 b eth0
ip -n "${P}h" addr add 10.0.1.2/24 dev eth0
ip -n "${P}h" route add default via 10.0.1.1
ip -n "${P}r1" addr add 10.0.1.1/24 dev eth0
ip -n "${P}r1" addr add 10.0.12.1/30 dev eth1
ip -n "${P}r1" addr add 10.0.13.1/30 dev eth2
ip -n "${P}r1" route add 10.0.2.0/24 via 10.0.12.2
ip -n "${P}r2" addr add 10.0.12.2/30 dev eth0
ip -n "${P}r2" addr add 10.0.13.2/30 dev eth1
ip -n "${P}r2" addr add 10.0.2.1/24 dev eth2
ip -n "${P}r2" route add 10.0.1.0/24 via 10.0.13.1
ip -n "${P}r2" link set eth2 mtu 1400
ip -n "${P}b" link set eth0 mtu 1400
ip -n "${P}b" addr add 10.0.2.2/24 dev eth0
ip -n "${P}b" route add default via 10.0.2.1
for n in r1 r2; do
    for c in all default eth0 eth1 eth2; do
        ip netns exec "$P$n" sysctl -qw "net.ipv4.conf.$c.rp_filter=0"
    done
    ip netns exec "$P$n" sysctl -qw net.ipv4.ip_forward=1
done
ip netns exec "${P}h" python3 "$D/probe.py"
echo "route_cache $(ip -n "${P}h" route get 10.0.2.2 | sed -n 's/.*cache expires [0-9]*sec mtu \([0-9]*\).*/\1/p')"
echo "neigh_10.0.1.99 $(ip -n "${P}h" neigh show 10.0.1.99 | awk '{print $NF}')"
