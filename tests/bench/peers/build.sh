#!/bin/sh
# build.sh OUTDIR - build the ns-3 peer programs for the netsim benchmarks.
#
# Produces OUTDIR/ns3_hold, OUTDIR/ns3_two_lans and OUTDIR/ns3_bulk. When ns-3 (Debian's
# libns3-dev) or a C++ compiler is missing, prints one note line and exits 0
# without building: callers test for the binaries and drop the ns-3 column.
# Set CXX / CXXFLAGS to override the compiler and flags (default g++ -O2).
# shellcheck disable=SC2086 # $mods and the flag lists must word-split
set -eu

if [ $# -ne 1 ]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi
out=$1
here=$(cd "$(dirname "$0")" && pwd)
cxx=${CXX:-g++}
cxxflags=${CXXFLAGS:--O2}
mods="ns3-core ns3-network ns3-csma ns3-bridge ns3-internet ns3-internet-apps
ns3-traffic-control ns3-point-to-point ns3-applications"

if ! command -v pkg-config >/dev/null 2>&1 ||
    ! pkg-config --exists $mods 2>/dev/null; then
    echo "note: ns-3 (libns3-dev) not found; skipping ns-3 peers"
    exit 0
fi
if ! command -v "$cxx" >/dev/null 2>&1; then
    echo "note: $cxx not found; skipping ns-3 peers"
    exit 0
fi

mkdir -p "$out"
# Debian's .pc files carry a bogus "-I/usr\;" include flag; drop it.
cflags=$(pkg-config --cflags $mods | sed 's#-I/usr\\;##g')
# They also name absolute paths such as /usr/lib/.../libgsl.so that exist only
# with libgsl-dev installed. The ns-3 shared libraries already record those
# dependencies (DT_NEEDED), so missing absolute paths can be left out.
libs=
for l in $(pkg-config --libs $mods); do
    case $l in
    /*) [ -e "$l" ] || continue ;;
    esac
    libs="$libs $l"
done
for prog in ns3_hold ns3_two_lans ns3_bulk; do
    "$cxx" $cxxflags -std=c++17 $cflags -o "$out/$prog" "$here/$prog.cc" $libs
done
echo "built $out/ns3_hold $out/ns3_two_lans $out/ns3_bulk ($(pkg-config --modversion ns3-core))"
