/* test_dhcp_conflict.c - topologies/dhcp-conflict.topo end to end, judged
 * by tshark on every frame the hosts and routers send (no malformed frame,
 * no expert warning): RFC 5227 ARP Probes (sender 0.0.0.0) before a new
 * address is used, answered by the host that already has it; DHCPDECLINE
 * to the server, which never offers that address again; INIT again 10 s
 * later; two ARP Announcements 2 s apart after each clean check; INIT-REBOOT
 * after `dhcp reboot` (REQUEST with option 50, no server id, ACK); and after
 * a move to another network, INIT-REBOOT answered by DHCPNAK, then DORA on
 * the new network. */
#include "tests/unit/topo_fixtures.h"
#include "tests/unit/tshark_run.h"

#include "sim/topo/scenario.h"

static const char *const FIELDS[] = {"frame.time_epoch",
                                     "eth.src",
                                     "ip.src",
                                     "ip.dst",
                                     "dhcp.option.dhcp",
                                     "dhcp.ip.client",
                                     "dhcp.ip.your",
                                     "dhcp.option.requested_ip_address",
                                     "dhcp.option.dhcp_server_id",
                                     "arp.isprobe",
                                     "arp.isannouncement",
                                     "arp.src.proto_ipv4",
                                     "arp.dst.proto_ipv4",
                                     "arp.opcode"};
enum {
    F_T,
    F_ESRC,
    F_SRC,
    F_DST,
    F_TYPE,
    F_CI,
    F_YI,
    F_REQ,
    F_SID,
    F_PROBE,
    F_ANN,
    F_SPA,
    F_TPA,
    F_OP
};

#define PC1 "02:00:00:00:00:01"
#define PC2 "02:00:00:00:00:02"
#define OLDPC "02:00:00:00:00:03"

typedef struct {
    double t;
    char **c;
} Row;

static bool is(const Row *r, int f, const char *v)
{
    return strcmp(r->c[f], v) == 0;
}

/* The first row at or after index from where field f equals v and (if
 * mac) the sender is mac; -1 if none. */
static int find(Row *rows, int n, int from, const char *mac, int f, const char *v)
{
    for (int i = from; i < n; i++)
        if ((!mac || is(&rows[i], F_ESRC, mac)) && is(&rows[i], f, v))
            return i;
    return -1;
}

/* Checks the RFC 5227 sequence for addr by mac after the ACK at row ack:
 * three probes from 0.0.0.0 within the 200 ms check, then two
 * announcements 2 s apart. */
static void assert_checked(Row *rows, int n, int ack, const char *mac, const char *addr)
{
    int probes = 0, ann = 0;
    double last_probe = 0, first_ann = 0;
    for (int i = ack + 1; i < n && ann < 2; i++) {
        Row *r = &rows[i];
        if (!is(r, F_ESRC, mac) || !*r->c[F_OP])
            continue;
        cr_assert_str_eq(r->c[F_TPA], addr);
        if (is(r, F_PROBE, "1")) {
            cr_assert_eq(ann, 0, "probe after an announcement");
            cr_assert_str_eq(r->c[F_SPA], "0.0.0.0");
            last_probe = r->t;
            probes++;
        } else {
            cr_assert_str_eq(r->c[F_ANN], "1", "neither probe nor announcement at %.6f", r->t);
            cr_assert_str_eq(r->c[F_SPA], addr);
            if (ann++ == 0)
                first_ann = r->t;
            else
                cr_assert_float_eq(r->t - first_ann, 2.0, 1e-6, "ANNOUNCE_INTERVAL");
        }
    }
    cr_assert_eq(probes, 3, "%s: PROBE_NUM probes", addr);
    cr_assert_eq(ann, 2, "%s: ANNOUNCE_NUM announcements", addr);
    /* 4/7 to 7/7 of 200 ms from the ACK; the last probe 2/7 before the end. */
    double took = first_ann - rows[ack].t;
    cr_assert(took >= 0.2 * 4 / 7 - 1e-6 && took <= 0.2 + 1e-6, "check took %.6f s", took);
    cr_assert_float_eq(first_ann - last_probe, 0.2 * 2 / 7, 1e-6, "ANNOUNCE_WAIT");
}

Test(dhcp_conflict, probe_decline_init_reboot_and_a_move)
{
    g_autoptr(GError) err = NULL;
    SimScenario *sc = sim_scenario_new(fx_load_file("topologies/dhcp-conflict.topo"), 1, &err);
    cr_assert_not_null(sc, "%s", err ? err->message : "");
    SimWorld *w = sim_scenario_world(sc);
    Recorder *rec = recorder_new(w, "conflict.pcap", true);
    sim_world_run(w, 80 * SIM_SEC, 0);
    recorder_close_pcap(rec);
    assert_pcap_clean(rec->pcap_path, rec->frames);

    char **lines = tshark_field_rows(rec->pcap_path, FIELDS, G_N_ELEMENTS(FIELDS));
    GArray *a = g_array_new(FALSE, FALSE, sizeof(Row));
    for (char **l = lines; *l && **l; l++) {
        Row r = {g_ascii_strtod(*l, NULL), g_strsplit(*l, "\t", -1)};
        cr_assert_eq(g_strv_length(r.c), G_N_ELEMENTS(FIELDS), "%s", *l);
        g_array_append_val(a, r);
    }
    Row *rows = (Row *)(void *)a->data;
    int n = (int)a->len;

    /* Whoever is offered .100 first probes it; oldpc, which has it, answers
     * (a reply to 0.0.0.0) and the client declines it to the server. */
    int ack100 = find(rows, n, 0, NULL, F_YI, "192.168.10.100");
    cr_assert_geq(ack100, 0);
    while (!is(&rows[ack100], F_TYPE, "5"))
        ack100 = find(rows, n, ack100 + 1, NULL, F_YI, "192.168.10.100");
    int probe = find(rows, n, ack100, NULL, F_PROBE, "1");
    cr_assert_str_eq(rows[probe].c[F_TPA], "192.168.10.100");
    const char *mac = rows[probe].c[F_ESRC];
    int reply = find(rows, n, probe, OLDPC, F_OP, "2");
    cr_assert_geq(reply, 0, "oldpc defends its address");
    cr_assert_str_eq(rows[reply].c[F_SPA], "192.168.10.100");
    cr_assert_str_eq(rows[reply].c[F_TPA], "0.0.0.0");
    int decl = find(rows, n, reply, mac, F_TYPE, "4");
    cr_assert_geq(decl, 0, "DHCPDECLINE");
    Row *d = &rows[decl];
    cr_assert_str_eq(d->c[F_SRC], "0.0.0.0");
    cr_assert_str_eq(d->c[F_DST], "255.255.255.255");
    cr_assert_str_eq(d->c[F_CI], "0.0.0.0");
    cr_assert_str_eq(d->c[F_REQ], "192.168.10.100");
    cr_assert_str_eq(d->c[F_SID], "192.168.10.254");
    /* No announcement of .100, ever; nobody is given .100 again. */
    for (int i = 0; i < n; i++) {
        if (is(&rows[i], F_ANN, "1"))
            cr_assert_str_neq(rows[i].c[F_SPA], "192.168.10.100");
        if (i > decl && (is(&rows[i], F_TYPE, "2") || is(&rows[i], F_TYPE, "5")))
            cr_assert_str_neq(rows[i].c[F_YI], "192.168.10.100");
    }
    /* INIT again after the 10 s of RFC 2131 §3.1. */
    int again = find(rows, n, decl, mac, F_TYPE, "1");
    cr_assert_geq(again, 0);
    cr_assert_float_eq(rows[again].t - d->t, 10.0, 1e-6);

    /* Every first-time ACK on the dorm is checked and announced. */
    int acks = 0;
    for (int i = find(rows, n, 0, NULL, F_TYPE, "5"); i >= 0 && rows[i].t < 30;
         i = find(rows, n, i + 1, NULL, F_TYPE, "5")) {
        if (i == ack100)
            continue;
        /* the ACK's client is the one that probes next */
        int p = find(rows, n, i, NULL, F_PROBE, "1");
        assert_checked(rows, n, i, rows[p].c[F_ESRC], rows[i].c[F_YI]);
        acks++;
    }
    cr_assert_eq(acks, 2, "both PCs bound on the dorm");

    /* 40 s: pc1 reboots and asks for its address again (INIT-REBOOT). */
    int rq = -1;
    for (int i = 0; i < n; i++)
        if (rows[i].t > 40 && is(&rows[i], F_ESRC, PC1) && is(&rows[i], F_TYPE, "3")) {
            rq = i;
            break;
        }
    cr_assert_geq(rq, 0);
    cr_assert_leq(rows[rq].t, 51.0, "1..10 s after the reboot");
    cr_assert_str_eq(rows[rq].c[F_SRC], "0.0.0.0");
    cr_assert_str_eq(rows[rq].c[F_CI], "0.0.0.0");
    cr_assert_str_eq(rows[rq].c[F_SID], "", "INIT-REBOOT carries no server id");
    const char *kept = rows[rq].c[F_REQ];
    cr_assert(g_str_has_prefix(kept, "192.168.10."), "%s", kept);
    int rack = find(rows, n, rq, NULL, F_TYPE, "5");
    cr_assert_str_eq(rows[rack].c[F_YI], kept, "the same address again");
    assert_checked(rows, n, rack, PC1, kept);

    /* 62 s: pc2, plugged into the lab, checks its dorm lease: NAK, DORA. */
    int mv = -1;
    for (int i = 0; i < n; i++)
        if (rows[i].t >= 62 && is(&rows[i], F_ESRC, PC2) && is(&rows[i], F_TYPE, "3")) {
            mv = i;
            break;
        }
    cr_assert_geq(mv, 0);
    cr_assert_float_eq(rows[mv].t, 62.0, 1e-3, "at once when the link comes up");
    cr_assert_str_eq(rows[mv].c[F_SRC], "0.0.0.0", "the address went with the carrier");
    cr_assert_str_eq(rows[mv].c[F_CI], "0.0.0.0");
    cr_assert_str_eq(rows[mv].c[F_SID], "");
    cr_assert(g_str_has_prefix(rows[mv].c[F_REQ], "192.168.10."));
    int nak = find(rows, n, mv, NULL, F_TYPE, "6");
    cr_assert_geq(nak, 0);
    cr_assert_str_eq(rows[nak].c[F_SRC], "192.168.30.254");
    int disc = find(rows, n, nak, PC2, F_TYPE, "1");
    cr_assert_geq(disc, 0, "INIT after the NAK");
    int lack = find(rows, n, disc, NULL, F_TYPE, "5");
    cr_assert(g_str_has_prefix(rows[lack].c[F_YI], "192.168.30."), "%s", rows[lack].c[F_YI]);
    assert_checked(rows, n, lack, PC2, rows[lack].c[F_YI]);

    /* The server lists the declined address. */
    GString *out = g_string_new(NULL);
    cr_assert(sim_scenario_show(sc, sim_world_find_node(w, "r1"), SIM_TOPO_TABLE_DHCP, out));
    cr_assert(strstr(out->str, "192.168.10.100   " PC2 "  declined") ||
                  strstr(out->str, "192.168.10.100   " PC1 "  declined"),
              "%s", out->str);
    g_string_free(out, TRUE);

    for (guint i = 0; i < a->len; i++)
        g_strfreev(g_array_index(a, Row, i).c);
    g_array_free(a, TRUE);
    g_strfreev(lines);
    recorder_free(rec);
    sim_scenario_free(sc);
}
