# probe.py - run by ref.sh inside host h's namespace: UDP probes whose ICMP
# errors come back through IP_RECVERR, printed as "key value" lines.
import select
import socket
import struct
import time

IP_RECVERR, IP_MTU_DISCOVER, IP_PMTUDISC_DO = 11, 10, 2


def sock(ttl=64):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IP, IP_RECVERR, 1)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, ttl)
    return s


def error(s, wait):
    """type/code/info/offender of the next queued ICMP error, or 'none'."""
    p = select.poll()
    p.register(s, select.POLLERR)
    if not p.poll(wait * 1000):
        return "none"
    _, anc, _, _ = s.recvmsg(2048, 512, socket.MSG_ERRQUEUE)
    for level, kind, d in anc:
        if level == socket.IPPROTO_IP and kind == IP_RECVERR:
            _, _, t, c, _, info, _ = struct.unpack("IBBBBII", d[:16])
            return "%d/%d/%d/%s" % (t, c, info, socket.inet_ntoa(d[20:24]))
    return "none"


s = sock(ttl=1)
s.sendto(b"x", ("10.9.9.9", 33434))
print("ttl1_no_route", error(s, 3))
s = sock(ttl=2)
s.sendto(b"x", ("10.0.2.2", 33434))
print("ttl2_asymmetric", error(s, 3))
s = sock()
print("pmtudisc_default", s.getsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER))
s.sendto(b"x" * 1400, ("10.0.2.2", 33434))
print("frag_needed", error(s, 3))
s = sock()
s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DO)
try:
    s.sendto(b"x" * 1400, ("10.0.2.2", 33434))
    print("do_after_learning sent")
except OSError as e:
    print("do_after_learning errno%d" % e.errno)
s = sock()
s.sendto(b"x", ("10.0.1.99", 9))
time.sleep(4)
