/* test_topo_l4.c - the transport verbs of the topology language
 * (tcp-send, udp-send, service, show NODE sockets): check-time errors at
 * their column, and what a scenario run does with them. */
#include <criterion/criterion.h>
#include <string.h>

#include "sim/topo/parser.h"
#include "sim/topo/scenario.h"
#include "sim/topo/validate.h"

static const char *net = "host pc  ip 192.168.10.1/24 gateway 192.168.10.254\n"
                         "host bob ip 192.168.20.1/24 gateway 192.168.20.254\n"
                         "host q\n"
                         "switch s\n"
                         "router r1\n"
                         "  interface eth0 ip 192.168.10.254/24\n"
                         "  interface eth1 ip 192.168.20.254/24\n"
                         "link pc r1.eth0 delay 1ms\n"
                         "link bob r1.eth1 delay 1ms\n"
                         "link q s\n";

/* The first error of net + line, formatted "t.topo:L:C: error: ...". */
static char *first_error(const char *line)
{
    g_autofree char *text = g_strconcat(net, line, "\n", NULL);
    SimDiag *d = sim_diag_new();
    SimTopo *t = sim_topo_parse_string("t.topo", text, d);
    gboolean ok = sim_topo_validate(t, d);
    int i = sim_diag_find(d, SIM_DIAG_ERROR);
    char *s = i < 0 ? g_strdup("(none)") : sim_diag_format(d, (guint)i);
    cr_assert(!ok || i < 0);
    sim_topo_free(t);
    sim_diag_free(d);
    return s;
}

#define ASSERT_ERR(line, want)                                                                     \
    do {                                                                                           \
        g_autofree char *e_ = first_error(line);                                                   \
        cr_assert(strstr(e_, want), "got: %s\nwanted: %s", e_, want);                              \
    } while (0)

Test(topo_l4, port_out_of_range)
{
    ASSERT_ERR("at 1s pc tcp-send 192.168.20.1:0 bytes 1MB",
               "t.topo:11:32: error: bad port '0': expected a number from 1 to 65535");
    ASSERT_ERR("at 1s pc udp-send bob:65536 bytes 1MB", "t.topo:11:23: error: bad port '65536'");
    ASSERT_ERR("at 0s bob service discard tcp 0", "t.topo:11:31: error: bad port '0'");
}

Test(topo_l4, unknown_size_unit)
{
    ASSERT_ERR("at 1s pc tcp-send bob:9 bytes 1XB",
               "t.topo:11:31: error: bad bytes '1XB': unknown unit 'XB'");
    ASSERT_ERR("at 1s pc tcp-send bob:9 bytes 10", "missing unit");
    ASSERT_ERR("at 1s pc tcp-send bob:9", "tcp-send needs 'bytes SIZE'");
}

Test(topo_l4, node_without_address_or_stack)
{
    ASSERT_ERR("at 1s q tcp-send bob:9 bytes 1MB",
               "t.topo:11:7: error: host 'q' has no IP address to send from");
    ASSERT_ERR("at 1s s udp-send bob:9 bytes 1MB",
               "t.topo:11:7: error: switch 's' cannot udp-send: only hosts and routers have an IP "
               "stack");
    ASSERT_ERR("at 1s s service discard udp 9", "switch 's' cannot run a service");
}

Test(topo_l4, good_lines_parse)
{
    ASSERT_ERR("at 1s pc tcp-send 192.168.20.1:9 bytes 1MB sndbuf 64KiB nodelay", "(none)");
    ASSERT_ERR("at 1s pc udp-send bob:9 bytes 10KB size 512 rate 1Mbps", "(none)");
    ASSERT_ERR("at 0s bob service discard tcp 9 rcvbuf 1MB noread", "(none)");
    ASSERT_ERR("at 2s show bob sockets", "(none)");
}

static char *run_collect(const char *text, SimTime until)
{
    SimDiag *d = sim_diag_new();
    SimTopo *t = sim_topo_parse_string("t.topo", text, d);
    gboolean ok = sim_topo_validate(t, d);
    g_autofree char *msgs = sim_diag_render(d);
    cr_assert(ok, "%s", msgs);
    sim_diag_free(d);
    g_autoptr(GError) err = NULL;
    SimScenario *sc = sim_scenario_new(t, 1, &err);
    cr_assert_not_null(sc, "%s", err ? err->message : "");
    GString *out = g_string_new(NULL);
    void collect(const SimTraceRecord *r, void *u);
    sim_trace_subscribe(sim_world_trace(sim_scenario_world(sc)),
                        SIM_TRACE_BIT(SIM_TR_APP) | SIM_TRACE_BIT(SIM_TR_SHOW), collect, out);
    sim_world_run(sim_scenario_world(sc), until, 0);
    sim_scenario_free(sc);
    return g_string_free(out, FALSE);
}

void collect(const SimTraceRecord *r, void *u)
{
    g_string_append_printf(u, "%s|%s\n", r->node, r->detail);
}

Test(topo_l4, transfer_and_sockets_table)
{
    g_autofree char *text = g_strconcat(net,
                                        "at 0s bob service discard tcp 9\n"
                                        "at 0s bob service discard udp 9\n"
                                        "at 1s pc tcp-send 192.168.20.1:9 bytes 100KB\n"
                                        "at 1s pc udp-send bob:9 bytes 3000B size 1000\n"
                                        "at 1.5s show bob sockets\n"
                                        "at 2s pc tcp-send bob:7 bytes 1KB\n",
                                        NULL);
    g_autofree char *out = run_collect(text, 200 * SIM_SEC);
    cr_assert(strstr(out, "bob|discard :9: 100000 bytes from 192.168.10.1:32768"), "%s", out);
    cr_assert(strstr(out, "every byte as sent"), "%s", out);
    cr_assert(strstr(out, "pc|tcp-send 192.168.20.1:9: 100000 bytes acknowledged"), "%s", out);
    cr_assert(strstr(out, "pc|udp-send: 3000 bytes sent"), "%s", out);
    cr_assert(strstr(out, "Netid State      Recv-Q Send-Q Local Address:Port"), "%s", out);
    cr_assert(strstr(out, "tcp   LISTEN     0      128    0.0.0.0:9"), "%s", out);
    cr_assert(strstr(out, "udp   UNCONN     0      0      0.0.0.0:9"), "%s", out);
    /* A closed port answers RST: connect fails at once. */
    cr_assert(strstr(out, "tcp-send 192.168.20.1:7: Connection refused"), "%s", out);
}
