/* test_dhcp_dorm.c - topologies/dhcp-dorm.topo end to end, judged by
 * tshark: every DHCP frame dissects cleanly; each PC's exchange is
 * DISCOVER, OFFER, REQUEST, ACK under one xid; the addresses differ and the
 * printer gets its static one; pc3's DHCPRELEASE at 30 s frees its lease;
 * at T1 = 300 s every other client renews by unicast to the server and is
 * answered by unicast. */
#include "tests/unit/topo_fixtures.h"
#include "tests/unit/tshark_run.h"

#include "sim/topo/scenario.h"

static const char *const FIELDS[] = {"frame.time_relative", "ip.src",          "ip.dst",
                                     "dhcp.option.dhcp",    "dhcp.id",         "dhcp.ip.client",
                                     "dhcp.ip.your",        "dhcp.hw.mac_addr"};
enum { F_TIME, F_SRC, F_DST, F_TYPE, F_XID, F_CI, F_YI, F_MAC };

Test(dhcp_dorm, dora_then_unicast_renewal_at_t1)
{
    g_autoptr(GError) err = NULL;
    SimScenario *sc = sim_scenario_new(fx_load_file("topologies/dhcp-dorm.topo"), 1, &err);
    cr_assert_not_null(sc, "%s", err ? err->message : "");
    SimWorld *w = sim_scenario_world(sc);
    Recorder *r = recorder_new(w, "dhcp.pcap", true);
    sim_world_run(w, 330 * SIM_SEC, 0);
    recorder_close_pcap(r);
    assert_pcap_clean(r->pcap_path, r->frames);

    char **lines = tshark_field_rows(r->pcap_path, FIELDS, G_N_ELEMENTS(FIELDS));
    GHashTable *acked = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    GHashTable *yi = g_hash_table_new(g_str_hash, g_str_equal);
    GHashTable *seq = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    guint renewals = 0, renew_acks = 0, releases = 0;
    for (char **l = lines; *l && **l; l++) {
        g_auto(GStrv) c = g_strsplit(*l, "\t", -1);
        cr_assert_eq(g_strv_length(c), G_N_ELEMENTS(FIELDS), "%s", *l);
        if (!*c[F_TYPE])
            continue;
        /* option 61's MAC is also a dhcp.hw.mac_addr: keep chaddr's */
        char *comma = strchr(c[F_MAC], ',');
        if (comma)
            *comma = '\0';
        double t = g_ascii_strtod(c[F_TIME], NULL);
        if (t < 20) {
            /* Boot: append the type to this xid's sequence. */
            char *old = g_hash_table_lookup(seq, c[F_XID]);
            g_hash_table_insert(seq, g_strdup(c[F_XID]),
                                g_strconcat(old ? old : "", c[F_TYPE], NULL));
            if (!strcmp(c[F_TYPE], "5")) {
                cr_assert_null(g_hash_table_lookup(yi, c[F_YI]), "%s given twice", c[F_YI]);
                g_hash_table_insert(yi, c[F_YI], c[F_YI]);
                g_hash_table_insert(acked, g_strdup(c[F_MAC]), g_strdup(c[F_YI]));
            }
            continue;
        }
        if (!strcmp(c[F_TYPE], "7")) {
            cr_assert_lt(t, 31.0);
            cr_assert_str_eq(c[F_CI], g_hash_table_lookup(acked, c[F_MAC]));
            cr_assert_str_eq(c[F_DST], "192.168.10.254");
            releases++;
            continue;
        }
        /* Renewal: REQUEST from the bound address, unicast to the server,
         * 300 s (T1) after the boot; the ACK comes back unicast. */
        const char *mine = g_hash_table_lookup(acked, c[F_MAC]);
        cr_assert_not_null(mine, "%s", *l);
        cr_assert_geq(t, 300.0, "%s", *l);
        cr_assert_lt(t, 320.0, "%s", *l);
        cr_assert_str_eq(c[F_CI], mine);
        if (!strcmp(c[F_TYPE], "3")) {
            cr_assert_str_eq(c[F_SRC], mine);
            cr_assert_str_eq(c[F_DST], "192.168.10.254");
            renewals++;
        } else {
            cr_assert_str_eq(c[F_TYPE], "5");
            cr_assert_str_eq(c[F_DST], mine);
            renew_acks++;
        }
    }
    cr_assert_eq(g_hash_table_size(seq), 4, "four exchanges");
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, seq);
    while (g_hash_table_iter_next(&it, &k, &v))
        cr_assert_str_eq((char *)v, "1235", "xid %s: DISCOVER OFFER REQUEST ACK", (char *)k);
    cr_assert_str_eq(g_hash_table_lookup(acked, "02:00:00:00:01:50"), "192.168.10.50");
    cr_assert_eq(releases, 1);
    cr_assert_eq(renewals, 3, "the released PC does not renew");
    cr_assert_eq(renew_acks, 3);
    g_hash_table_destroy(yi);
    g_hash_table_destroy(acked);
    g_hash_table_destroy(seq);
    g_strfreev(lines);
    recorder_free(r);
    sim_scenario_free(sc);
}
