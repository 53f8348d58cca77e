/* test_step_explain_proto.c - the stepper's words for STP, TCP, VLAN and NAT
 * records (sim/cli/step_explain_proto.c) in the C locale: every detail
 * shape the producers write reads as the detail with ports in words, a
 * shape or a word it does not know is left to the caller (FALSE), and no
 * prefix of a real detail is read past its end (the ASan build runs this). */
#include "sim/cli/step_explain_proto.h"

#include <criterion/criterion.h>
#include <string.h>

static char *explain(SimTraceKind kind, const char *detail, bool *verb)
{
    SimTraceRecord r = {.kind = kind, .node = "sw", .detail = detail};
    GString *out = g_string_new(NULL);
    bool v = false;
    if (!sim_step_explain_proto(&r, out, &v)) {
        g_string_free(out, TRUE);
        return NULL;
    }
    if (verb)
        *verb = v;
    return g_string_free(out, FALSE);
}

static const struct {
    SimTraceKind kind;
    const char *detail, *words;
} known[] = {
    {SIM_TR_STP, "p24 role designated → root (BPDU on p24)",
     "port 24 role designated → root (BPDU on port 24)"},
    {SIM_TR_STP,
     "p24 root: discarding → forwarding (a new root port forwards at once (802.1D-2004 "
     "17.29.2))",
     "port 24 root: discarding → forwarding (a new root port forwards at once (802.1D-2004 "
     "17.29.2))"},
    {SIM_TR_STP, "p3: blocking → disabled (link down)", "port 3: blocking → disabled (link down)"},
    {SIM_TR_STP, "p1 designated: learning → forwarding (forward delay 15s expired)",
     "port 1 designated: learning → forwarding (forward delay 15s expired)"},
    {SIM_TR_STP,
     "topology change on the bridge (this bridge became the root): the root sets TC in "
     "its BPDUs",
     "topology change on the bridge (this bridge became the root): the root sets TC in its BPDUs"},
    {SIM_TR_STP, "information on p3 aged out after 3 x hello",
     "information on port 3 aged out after 3 x hello"},
    {SIM_TR_BPDU, "sends a TCN BPDU on p7 toward the root (no acknowledgement yet)",
     "sends a TCN BPDU on port 7 toward the root (no acknowledgement yet)"},
    {SIM_TR_TCP, "tcp-state SYN_SENT → ESTABLISHED (SYN, ACK received) 10.0.1.1:32768 > 10.0.1.2:9",
     "tcp-state SYN_SENT → ESTABLISHED (SYN, ACK received) 10.0.1.1:32768 > 10.0.1.2:9"},
    {SIM_TR_TCP, "10.0.1.1:32768 > 10.0.1.2:9 SYN_SENT: Connection refused, connection closed",
     "10.0.1.1:32768 > 10.0.1.2:9 SYN_SENT: Connection refused, connection closed"},
    {SIM_TR_TCP, "window opens to 1 bytes: sending resumes",
     "window opens to 1 byte: sending resumes"},
    {SIM_TR_TCP,
     "retransmit SYN, ACK (RTO, attempt 2, next timeout 4000 ms) 10.0.1.2:9 > 10.0.1.1:1",
     "retransmit SYN, ACK (RTO, attempt 2, next timeout 4000 ms) 10.0.1.2:9 > 10.0.1.1:1"},
    {SIM_TR_TAG, "vlan 10 (pcp 0) tagged → p23,p24", "vlan 10 (pcp 0) tagged → ports 23 and 24"},
    {SIM_TR_UNTAG, "vlan 10 tag removed → p24,p25,p26",
     "vlan 10 tag removed → ports 24, 25 and 26"},
    {SIM_TR_NAT, "udp 192.168.1.10:40001 → 100.64.0.2:40001 (ICMP error: quoted header translated)",
     "translated udp 192.168.1.10:40001 → 100.64.0.2:40001 (ICMP error: quoted header translated)"},
    {SIM_TR_NAT, "udp 192.168.1.10:40001 ↔ 100.64.0.2:40001 expired (idle 30 s)",
     "forgot NAT mapping udp 192.168.1.10:40001 ↔ 100.64.0.2:40001: idle for 30 s"},
    {SIM_TR_AGE, "02:00:00:00:00:01 on p2 flushed (topology change: TC heard on p1)",
     "flushed 02:00:00:00:00:01 on port 2 (topology change: TC heard on port 1)"},
    {SIM_TR_AGE, "02:00:00:00:00:11 on p1 aged out (300s without a frame)",
     "MAC entry 02:00:00:00:00:11 on port 1 aged out (300s without a frame)"},
    {SIM_TR_AGE, "ARP entry 10.0.0.2 aged out (stale and unused for 60s)",
     "ARP entry 10.0.0.2 aged out (stale and unused for 60s)"},
    {SIM_TR_AGE, "ARP entry 10.0.0.2 FAILED: no reply to 3 probes",
     "ARP entry 10.0.0.2 FAILED: no reply to 3 probes"},
    {SIM_TR_AGE, "path MTU 1400 to 10.0.2.2 expired (600s)",
     "path MTU 1400 to 10.0.2.2 expired (600s)"},
    {SIM_TR_FRAGMENT, "3000-byte datagram id 0x0001 to 10.0.2.2 → 3 fragments (MTU 1500)",
     "fragmented a 3000-byte datagram id 0x0001 to 10.0.2.2 → 3 fragments (MTU 1500)"},
    {SIM_TR_REASSEMBLE, "datagram id 0x0001 from 10.0.1.1 reassembled from 3 fragments, 3000 bytes",
     "datagram id 0x0001 from 10.0.1.1 reassembled from 3 fragments, 3000 bytes"},
    {SIM_TR_STORM,
     "broadcast storm: the same frame arrived 3 times on p1 within 250us (12000 flooded frames/s "
     "on p1); loop: swA.p1-swB.p1, swB.p2-swA.p2",
     "broadcast storm: the same frame arrived 3 times on port 1 within 250us (12000 flooded "
     "frames/s on port 1); loop: swA.p1-swB.p1, swB.p2-swA.p2"},
    {SIM_TR_TTL_EXCEEDED, "ICMP time exceeded (TTL expired in transit, code 0) → 10.0.0.1",
     "answered with ICMP time exceeded (TTL expired in transit, code 0) → 10.0.0.1"},
    {SIM_TR_UNREACHABLE, "ICMP destination unreachable (port unreachable, code 3) → 10.0.0.1",
     "answered with ICMP destination unreachable (port unreachable, code 3) → 10.0.0.1"},
    {SIM_TR_ICMP, "echo reply id=0x8d65 seq=1 to 10.0.0.1",
     "answered with ICMP echo reply id=0x8d65 seq=1 to 10.0.0.1"},
    {SIM_TR_DELIVER, "ICMP echo request id=0x8d65 seq=1 from 10.0.0.1",
     "received ICMP echo request id=0x8d65 seq=1 from 10.0.0.1"},
    {SIM_TR_LINK_DOWN, "link l1 down", "link l1 went down"},
    {SIM_TR_TCP, "10.0.1.1:32768 > 10.0.9.9:9: segment not sent: Network is unreachable",
     "10.0.1.1:32768 > 10.0.9.9:9: segment not sent: Network is unreachable"},
    {SIM_TR_INFO, "dhcp: bound to 192.168.10.100/24, gateway 192.168.10.254",
     "dhcp: bound to 192.168.10.100/24, gateway 192.168.10.254"},
    {SIM_TR_INFO, "dns: www.example.com is 93.184.216.34 (TTL 300 s, cached)",
     "dns: www.example.com is 93.184.216.34 (TTL 300 s, cached)"},
    {SIM_TR_INFO,
     "dns server: www.example.com. A from 10.0.0.1: answer www.example.com. 300 IN A "
     "93.184.216.34 (authoritative)",
     "dns server: www.example.com. A from 10.0.0.1: answer www.example.com. 300 IN A 93.184.216.34 "
     "(authoritative)"},
    {SIM_TR_INFO, "upload photo.bin: 50% (1,000 of 2,000 bytes)",
     "upload photo.bin: 50% (1,000 of 2,000 bytes)"},
};

Test(step_explain_proto, details_read_as_before_with_ports_in_words)
{
    for (gsize i = 0; i < G_N_ELEMENTS(known); i++) {
        g_autofree char *w = explain(known[i].kind, known[i].detail, NULL);
        cr_assert_str_eq(w, known[i].words, "%s", known[i].detail);
    }
    bool verb = false;
    g_autofree char *nat = explain(SIM_TR_NAT, known[13].detail, &verb);
    cr_assert(verb, "\"home translated …\" reads after the name");
}

Test(step_explain_proto, unknown_shapes_and_words_are_left_to_the_caller)
{
    cr_assert_null(explain(SIM_TR_STP, "p24 role boss → root (x)", NULL), "not a role");
    cr_assert_null(explain(SIM_TR_STP, "p24 root: asleep → forwarding (x)", NULL), "not a state");
    cr_assert_null(explain(SIM_TR_STP, "", NULL));
    cr_assert_null(explain(SIM_TR_TCP, "something new happened", NULL));
    cr_assert_null(explain(SIM_TR_INFO, "dhcp: something new happened", NULL));
    cr_assert_null(explain(SIM_TR_INFO, "dns: ", NULL), "an empty part is no match");
    cr_assert_null(explain(SIM_TR_ROUTE, known[0].detail, NULL), "not this module's kind");
    /* a BPDU's fields come from its frame: no frame, no sentence */
    cr_assert_null(
        explain(SIM_TR_BPDU,
                "received an RST BPDU on p24: root 4096.02:b0:00:00:00:04 cost 0 bridge "
                "4096.02:b0:00:00:00:04 port 128.1 age 0s: better than recorded, recorded",
                NULL));
    /* an unknown reason keeps its English, with ports in words */
    g_autofree char *why =
        explain(SIM_TR_STP, "p2 role root → designated (a new reason on p9)", NULL);
    cr_assert_str_eq(why, "port 2 role root → designated (a new reason on port 9)");
}

Test(step_explain_proto, every_prefix_of_a_detail_is_safe)
{
    for (gsize i = 0; i < G_N_ELEMENTS(known); i++) {
        size_t n = strlen(known[i].detail);
        for (size_t k = 0; k < n; k++) {
            /* a heap copy of exactly k bytes, so ASan sees a read past it */
            char *cut = g_malloc(k + 1);
            memcpy(cut, known[i].detail, k);
            cut[k] = '\0';
            g_free(explain(known[i].kind, cut, NULL));
            g_free(cut);
        }
    }
}
