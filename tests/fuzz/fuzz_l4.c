/* fuzz_l4.c - libFuzzer target: any bytes as the TCP or UDP message of a
 * datagram that reaches a host with a TCP listener, a UDP socket and an
 * open connection. The first input byte picks the protocol (bit 0) and
 * whether the checksum is made valid (bit 1), so the fuzzer reaches the
 * state machine, not only the checksum check. Any crash, sanitizer report
 * or leak is a bug: input must be dropped with a reason, never read past.
 *
 * Build: clang -fsanitize=fuzzer,address,undefined (NETSIM_FUZZ=ON).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/apps/bulk.h"
#include "sim/l3/ipstack.h"
#include "sim/l3/node_ip.h"
#include "sim/l4/tcp.h"
#include "sim/link/link.h"
#include "sim/net/checksum.h"
#include "sim/net/packet.h"
#include "sim/net/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static SimNode *host(SimWorld *w, const char *name, const char *addr)
{
    SimNode *h = sim_host_new(w, name);
    SimIface *i = sim_ip_add_iface(h, "eth0", NULL);
    SimPrefix p;
    sim_prefix_parse(addr, &p, NULL, NULL);
    sim_ip_add_address(h, i, &p, NULL);
    sim_tcp_attach(h);
    return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 1400)
        return 0;
    SimWorld *w = sim_world_new(1);
    SimNode *p = host(w, "p", "10.0.0.1/24");
    SimNode *h = host(w, "h", "10.0.0.2/24");
    SimLinkParams lp;
    sim_link_params_default(&lp);
    sim_link_new(w, sim_node_iface(p, 0), sim_node_iface(h, 0), &lp);
    SimBulkOpts o;
    sim_bulk_opts_default(&o);
    sim_discard_start(h, true, 9, &o, NULL);
    sim_discard_start(h, false, 9, &o, NULL);
    sim_bulk_tcp_start(p, 0x0a000002, 9, 3000, &o, NULL);
    sim_world_run(w, 5 * SIM_MS, 0);

    bool udp = data[0] & 1, fix = data[0] & 2;
    size_t n = size - 1;
    SimPacket *m = sim_packet_new(sim_world_pool(w), SIM_PACKET_HEADROOM, n);
    memcpy(sim_packet_data(m), data + 1, n);
    size_t cs = udp ? 6 : 16;
    if (fix && n >= cs + 2) {
        uint8_t *b = sim_packet_data(m);
        b[cs] = b[cs + 1] = 0;
        uint8_t proto = udp ? SIM_IPPROTO_UDP : SIM_IPPROTO_TCP;
        uint16_t c = sim_csum_finish(sim_csum_partial(
            b, n, sim_csum_pseudo_ipv4(0x0a000001, 0x0a000002, proto, (uint16_t)n, 0)));
        sim_wire_put16(b + cs, udp && c == 0 ? 0xffff : c);
    }
    SimIpTxOpts to = {.src = 0x0a000001};
    sim_ip_output(sim_ip_stack(p), m, 0x0a000002, udp ? SIM_IPPROTO_UDP : SIM_IPPROTO_TCP, &to,
                  NULL);
    sim_world_run(w, 70 * SIM_SEC, 20000);
    sim_world_free(w);
    return 0;
}
