/* test_bpdu.c - the BPDU codec: emitted bytes as 802.1D lays them out,
 * parse(emit(x)) == x, bad frames refused, and tshark reading every kind
 * of BPDU with the fields that were put in and no complaint. */
#include <criterion/criterion.h>
#include <glib/gstdio.h>
#include <string.h>

#include "../scenario/helpers.h"
#include "sim/net/bpdu.h"

static SimPacketPool *pool;

static void setup(void)
{
    pool = sim_packet_pool_new();
}

static void teardown(void)
{
    if (sim_packet_pool_in_use(pool) == 0)
        sim_packet_pool_free(pool);
}

TestSuite(bpdu, .init = setup, .fini = teardown);

static void assert_same(const SimBpdu *a, const SimBpdu *b)
{
    cr_assert_eq(a->version, b->version);
    cr_assert_eq(a->type, b->type);
    cr_assert_eq(a->flags, b->flags);
    cr_assert_eq(a->root_id, b->root_id);
    cr_assert_eq(a->root_cost, b->root_cost);
    cr_assert_eq(a->bridge_id, b->bridge_id);
    cr_assert_eq(a->port_id, b->port_id);
    cr_assert_eq(a->message_age, b->message_age);
    cr_assert_eq(a->max_age, b->max_age);
    cr_assert_eq(a->hello_time, b->hello_time);
    cr_assert_eq(a->forward_delay, b->forward_delay);
}

static const SimMac SRC = {{0x02, 0xb0, 0x00, 0x00, 0x00, 0x04}};

static SimBpdu config_bpdu(void)
{
    SimMac root = {{0x02, 0xb0, 0x00, 0x00, 0x00, 0x03}};
    return (SimBpdu){.version = 0,
                     .type = SIM_BPDU_TYPE_CONFIG,
                     .flags = SIM_BPDU_F_TC | SIM_BPDU_F_TCA,
                     .root_id = sim_bridge_id(4096, &root),
                     .root_cost = 19,
                     .bridge_id = sim_bridge_id(32768, &SRC),
                     .port_id = 0x8002,
                     .message_age = 256,
                     .max_age = 20 * 256,
                     .hello_time = 2 * 256,
                     .forward_delay = 15 * 256};
}

Test(bpdu, config_bytes_follow_8021d_clause_9)
{
    SimBpdu b = config_bpdu();
    SimPacket *p = sim_bpdu_emit(pool, &SRC, &b);
    const uint8_t *f = sim_packet_cdata(p);
    cr_assert_eq(sim_packet_len(p), 60);
    const uint8_t head[] = {0x01, 0x80, 0xc2, 0,    0,    0,    0x02, 0xb0, 0, 0, 0,
                            0x04, 0x00, 38,   0x42, 0x42, 0x03, 0,    0,    0, 0, 0x81};
    cr_assert_eq(memcmp(f, head, sizeof head), 0);
    const uint8_t ids[] = {0x10, 0x00, 0x02, 0xb0, 0,    0,    0, 0x03, 0,  0,
                           0,    19,   0x80, 0x00, 0x02, 0xb0, 0, 0,    0,  0x04,
                           0x80, 0x02, 1,    0,    20,   0,    2, 0,    15, 0};
    cr_assert_eq(memcmp(f + 22, ids, sizeof ids), 0);
    SimBpdu back;
    cr_assert(sim_bpdu_parse(f, sim_packet_len(p), &back, NULL));
    assert_same(&back, &b);
    sim_packet_unref(p);
}

Test(bpdu, rst_and_tcn_round_trip_and_bad_frames_are_refused)
{
    SimBpdu rst = config_bpdu();
    rst.version = 2;
    rst.type = SIM_BPDU_TYPE_RST;
    rst.flags = SIM_BPDU_F_PROPOSAL | (SIM_BPDU_ROLE_DESIGNATED << 2) | SIM_BPDU_F_LEARNING;
    SimPacket *p = sim_bpdu_emit(pool, &SRC, &rst);
    SimBpdu back;
    cr_assert(sim_bpdu_parse(sim_packet_cdata(p), sim_packet_len(p), &back, NULL));
    assert_same(&back, &rst);
    cr_assert_eq(sim_bpdu_role(&back), SIM_BPDU_ROLE_DESIGNATED);
    cr_assert_eq(sim_packet_cdata(p)[13], 39);
    /* Truncated: the 802.3 length says more than the frame holds. */
    g_autoptr(GError) err = NULL;
    cr_assert_not(sim_bpdu_parse(sim_packet_cdata(p), 40, &back, &err));
    uint8_t copy[60];
    memcpy(copy, sim_packet_cdata(p), 60);
    copy[14] = 0xaa; /* SNAP, not the spanning tree SAP */
    cr_assert_not(sim_bpdu_parse(copy, 60, &back, NULL));
    memcpy(copy, sim_packet_cdata(p), 60);
    copy[20] = 0x55; /* unknown BPDU type */
    cr_assert_not(sim_bpdu_parse(copy, 60, &back, NULL));
    sim_packet_unref(p);
    SimBpdu tcn = {.version = 0, .type = SIM_BPDU_TYPE_TCN};
    p = sim_bpdu_emit(pool, &SRC, &tcn);
    cr_assert(sim_bpdu_parse(sim_packet_cdata(p), sim_packet_len(p), &back, NULL));
    cr_assert_eq(back.type, SIM_BPDU_TYPE_TCN);
    cr_assert_eq(sim_packet_cdata(p)[13], 7);
    sim_packet_unref(p);
}

/* Config with TC+TCA, RST with proposal, RST with agreement from a root
 * port, TCN: tshark's fields are what we built. */
Test(bpdu, tshark_reads_the_fields_we_wrote)
{
    SimBpdu b[4];
    b[0] = config_bpdu();
    b[1] = config_bpdu();
    b[1].version = 2;
    b[1].type = SIM_BPDU_TYPE_RST;
    b[1].flags = SIM_BPDU_F_PROPOSAL | (SIM_BPDU_ROLE_DESIGNATED << 2);
    b[2] = b[1];
    b[2].flags = SIM_BPDU_F_AGREEMENT | SIM_BPDU_F_FORWARDING | SIM_BPDU_F_LEARNING |
                 (SIM_BPDU_ROLE_ROOT << 2) | SIM_BPDU_F_TC;
    b[2].port_id = 0x8107;
    b[2].root_cost = 200000;
    b[3] = (SimBpdu){.version = 0, .type = SIM_BPDU_TYPE_TCN};
    g_autofree char *dir = g_dir_make_tmp("netsim-bpdu-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "bpdu.pcap", NULL);
    g_autoptr(GError) err = NULL;
    SimPcap *pc = sim_pcap_open(path, &err);
    cr_assert_not_null(pc);
    for (int i = 0; i < 4; i++) {
        SimPacket *p = sim_bpdu_emit(pool, &SRC, &b[i]);
        cr_assert(
            sim_pcap_write(pc, (SimTime)(i + 1) * SIM_SEC, sim_packet_cdata(p), sim_packet_len(p)));
        sim_packet_unref(p);
    }
    cr_assert(sim_pcap_close_checked(pc, &err));
    const char *v[] = {"-n", "-r", path, "-V", NULL};
    g_autofree char *verbose = tshark_run(v);
    cr_assert_null(strstr(verbose, "Malformed"), "%s", verbose);
    cr_assert_null(strstr(verbose, "Expert Info"), "%s", verbose);
    const char *f[] = {
        "llc.dsap",    "stp.version",   "stp.type",        "stp.flags",     "stp.root.prio",
        "stp.root.hw", "stp.root.cost", "stp.bridge.prio", "stp.bridge.hw", "stp.port",
        "stp.msg_age", "stp.max_age",   "stp.hello",       "stp.forward",   "stp.flags.port_role",
        NULL};
    g_autofree char *fields = tshark_fields(path, f);
    g_auto(GStrv) lines = g_strsplit(fields, "\n", -1);
    const char *want[] = {
        "0x42,0,0x00,0x81,4096,02:b0:00:00:00:03,19,32768,02:b0:00:00:00:04,0x8002,1,20,2,15,",
        "0x42,2,0x02,0x0e,4096,02:b0:00:00:00:03,19,32768,02:b0:00:00:00:04,0x8002,1,20,2,15,3",
        "0x42,2,0x02,0x79,4096,02:b0:00:00:00:03,200000,32768,02:b0:00:00:00:04,0x8107,1,20,2,"
        "15,2",
        "0x42,0,0x80,,,,,,,,,,,,",
    };
    for (int i = 0; i < 4; i++)
        cr_assert_str_eq(lines[i], want[i], "frame %d", i + 1);
    g_remove(path);
    g_rmdir(dir);
}
