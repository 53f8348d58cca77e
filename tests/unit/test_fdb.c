/* test_fdb.c - the MAC table: learn, lookup, aging, static entries,
 * capacity, moves, scale and iteration order. */
#include "sim/l2/fdb.h"

#include <criterion/criterion.h>

static SimMac mac_n(uint32_t n)
{
    return sim_mac_local(n);
}

Test(fdb, insert_and_lookup)
{
    g_autoptr(SimFdb) f = sim_fdb_new(16, 300 * SIM_SEC);
    SimMac a = mac_n(1), b = mac_n(2), c = mac_n(3);
    cr_assert_eq(sim_fdb_learn(f, &a, 1, 0, 0, NULL), SIM_FDB_NEW);
    cr_assert_eq(sim_fdb_learn(f, &b, 1, 4, 0, NULL), SIM_FDB_NEW);
    guint port = 99;
    cr_assert(sim_fdb_lookup(f, &a, 1, 10, &port));
    cr_assert_eq(port, 0);
    cr_assert(sim_fdb_lookup(f, &b, 1, 10, &port));
    cr_assert_eq(port, 4);
    cr_assert_not(sim_fdb_lookup(f, &c, 1, 10, &port));
    /* The VLAN is part of the key. */
    cr_assert_not(sim_fdb_lookup(f, &a, 2, 10, &port));
    cr_assert_eq(sim_fdb_learn(f, &a, 2, 7, 0, NULL), SIM_FDB_NEW);
    cr_assert(sim_fdb_lookup(f, &a, 2, 10, &port));
    cr_assert_eq(port, 7);
    cr_assert(sim_fdb_lookup(f, &a, 1, 10, &port));
    cr_assert_eq(port, 0);
    cr_assert_eq(sim_fdb_count(f), 3);
    cr_assert_eq(sim_fdb_learn(f, &a, 1, 0, 5, NULL), SIM_FDB_REFRESHED);
    cr_assert_eq(sim_fdb_count(f), 3);
    cr_assert(sim_fdb_remove(f, &a, 1));
    cr_assert_not(sim_fdb_remove(f, &a, 1));
    cr_assert_not(sim_fdb_lookup(f, &a, 1, 10, NULL));
    cr_assert_eq(sim_fdb_count(f), 2);
}

Test(fdb, aging_is_lazy_on_lookup_and_swept_by_expire)
{
    g_autoptr(SimFdb) f = sim_fdb_new(16, 300 * SIM_SEC);
    SimMac a = mac_n(1), b = mac_n(2);
    sim_fdb_learn(f, &a, 1, 1, 0, NULL);
    sim_fdb_learn(f, &b, 1, 2, 100 * SIM_SEC, NULL);
    /* Expiry is at last_seen + aging exactly, as br_fdb's has_expired(). */
    cr_assert(sim_fdb_lookup(f, &a, 1, 300 * SIM_SEC - 1, NULL));
    cr_assert_not(sim_fdb_lookup(f, &a, 1, 300 * SIM_SEC, NULL));
    cr_assert_eq(sim_fdb_count(f), 2, "lookup does not remove");

    g_autoptr(GArray) removed = g_array_new(FALSE, FALSE, sizeof(SimFdbEntry));
    SimTime next = 0;
    cr_assert_eq(sim_fdb_expire(f, 300 * SIM_SEC - 1, removed, &next), 0);
    cr_assert_eq(next, 300 * SIM_SEC);
    cr_assert_eq(sim_fdb_expire(f, 300 * SIM_SEC, removed, &next), 1);
    cr_assert_eq(removed->len, 1);
    cr_assert(sim_mac_equal(&g_array_index(removed, SimFdbEntry, 0).mac, &a));
    cr_assert_eq(g_array_index(removed, SimFdbEntry, 0).port, 1);
    cr_assert_eq(next, 400 * SIM_SEC, "the next sweep is at b's expiry");
    cr_assert_eq(sim_fdb_count(f), 1);
    cr_assert_eq(sim_fdb_expire(f, 400 * SIM_SEC, NULL, &next), 1);
    cr_assert_eq(next, SIM_TIME_MAX);
    cr_assert_eq(sim_fdb_count(f), 0);
}

Test(fdb, refresh_postpones_expiry_and_expired_relearn_is_new)
{
    g_autoptr(SimFdb) f = sim_fdb_new(16, 300 * SIM_SEC);
    SimMac a = mac_n(1);
    sim_fdb_learn(f, &a, 1, 1, 0, NULL);
    cr_assert_eq(sim_fdb_learn(f, &a, 1, 1, 200 * SIM_SEC, NULL), SIM_FDB_REFRESHED);
    cr_assert(sim_fdb_lookup(f, &a, 1, 499 * SIM_SEC, NULL));
    cr_assert_not(sim_fdb_lookup(f, &a, 1, 500 * SIM_SEC, NULL));
    /* Seen again after expiry but before a sweep: a fresh entry, not a move. */
    guint old = 77;
    cr_assert_eq(sim_fdb_learn(f, &a, 1, 3, 600 * SIM_SEC, &old), SIM_FDB_NEW);
    cr_assert_eq(old, 77);
    guint port;
    cr_assert(sim_fdb_lookup(f, &a, 1, 600 * SIM_SEC, &port));
    cr_assert_eq(port, 3);
    cr_assert_eq(sim_fdb_count(f), 1);
}

Test(fdb, aging_zero_never_expires)
{
    g_autoptr(SimFdb) f = sim_fdb_new(16, 0);
    SimMac a = mac_n(1);
    sim_fdb_learn(f, &a, 1, 1, 0, NULL);
    SimTime next = 0;
    cr_assert_eq(sim_fdb_expire(f, 1000000 * SIM_SEC, NULL, &next), 0);
    cr_assert_eq(next, SIM_TIME_MAX);
    cr_assert(sim_fdb_lookup(f, &a, 1, 1000000 * SIM_SEC, NULL));
}

Test(fdb, static_entries_never_age_nor_move)
{
    g_autoptr(SimFdb) f = sim_fdb_new(16, 300 * SIM_SEC);
    SimMac a = mac_n(1), b = mac_n(2);
    cr_assert(sim_fdb_add_static(f, &a, 1, 5, 0));
    sim_fdb_learn(f, &b, 1, 2, 0, NULL);
    cr_assert_eq(sim_fdb_learn(f, &a, 1, 2, 10, NULL), SIM_FDB_STATIC);
    guint port;
    cr_assert(sim_fdb_lookup(f, &a, 1, 10, &port));
    cr_assert_eq(port, 5);
    SimTime next;
    cr_assert_eq(sim_fdb_expire(f, 10000 * SIM_SEC, NULL, &next), 1); /* b only */
    cr_assert_eq(next, SIM_TIME_MAX, "static entries schedule no sweep");
    cr_assert(sim_fdb_lookup(f, &a, 1, 10000 * SIM_SEC, &port));
    SimFdbEntry e;
    cr_assert(sim_fdb_get(f, &a, 1, &e));
    cr_assert(e.is_static);
    /* A static entry overrides a dynamic one. */
    sim_fdb_learn(f, &b, 1, 2, 0, NULL);
    cr_assert(sim_fdb_add_static(f, &b, 1, 6, 0));
    cr_assert(sim_fdb_lookup(f, &b, 1, 0, &port));
    cr_assert_eq(port, 6);
    cr_assert_eq(sim_fdb_count(f), 2);
    /* Flushing dynamic entries keeps them; flushing all does not. */
    cr_assert_eq(sim_fdb_flush(f, -1, false, NULL), 0);
    cr_assert_eq(sim_fdb_flush(f, -1, true, NULL), 2);
    cr_assert_eq(sim_fdb_count(f), 0);
}

Test(fdb, station_move)
{
    g_autoptr(SimFdb) f = sim_fdb_new(16, 300 * SIM_SEC);
    SimMac a = mac_n(1);
    sim_fdb_learn(f, &a, 1, 0, 0, NULL);
    guint old = 99;
    cr_assert_eq(sim_fdb_learn(f, &a, 1, 2, 5, &old), SIM_FDB_MOVED);
    cr_assert_eq(old, 0);
    guint port;
    cr_assert(sim_fdb_lookup(f, &a, 1, 6, &port));
    cr_assert_eq(port, 2);
    cr_assert_eq(sim_fdb_count(f), 1);
}

Test(fdb, capacity_refuses_new_but_keeps_known)
{
    g_autoptr(SimFdb) f = sim_fdb_new(4, 300 * SIM_SEC);
    for (uint32_t i = 0; i < 4; i++) {
        SimMac m = mac_n(i);
        cr_assert_eq(sim_fdb_learn(f, &m, 1, i, 0, NULL), SIM_FDB_NEW);
    }
    SimMac extra = mac_n(100);
    cr_assert_eq(sim_fdb_learn(f, &extra, 1, 0, 1, NULL), SIM_FDB_FULL);
    cr_assert_not(sim_fdb_add_static(f, &extra, 1, 0, 1));
    cr_assert_not(sim_fdb_lookup(f, &extra, 1, 1, NULL));
    cr_assert_eq(sim_fdb_count(f), 4);
    /* Known stations still refresh and move while full. */
    SimMac m0 = mac_n(0);
    cr_assert_eq(sim_fdb_learn(f, &m0, 1, 0, 2, NULL), SIM_FDB_REFRESHED);
    cr_assert_eq(sim_fdb_learn(f, &m0, 1, 3, 2, NULL), SIM_FDB_MOVED);
    /* A freed slot is usable again. */
    cr_assert(sim_fdb_remove(f, &m0, 1));
    cr_assert_eq(sim_fdb_learn(f, &extra, 1, 0, 3, NULL), SIM_FDB_NEW);
}

Test(fdb, twenty_thousand_entries_with_churn)
{
    const uint32_t n = 20000;
    g_autoptr(SimFdb) f = sim_fdb_new(n, 300 * SIM_SEC);
    for (uint32_t i = 0; i < n; i++) {
        SimMac m = mac_n(i);
        cr_assert_eq(sim_fdb_learn(f, &m, 1, i % 48, i, NULL), SIM_FDB_NEW);
    }
    cr_assert_eq(sim_fdb_count(f), n);
    SimMac over = mac_n(n);
    cr_assert_eq(sim_fdb_learn(f, &over, 1, 0, 0, NULL), SIM_FDB_FULL);
    for (uint32_t i = 0; i < n; i++) {
        SimMac m = mac_n(i);
        guint port;
        cr_assert(sim_fdb_lookup(f, &m, 1, n, &port), "entry %u lost", i);
        cr_assert_eq(port, i % 48);
    }
    /* Delete every third entry: backward shifting must keep the rest
     * reachable. */
    for (uint32_t i = 0; i < n; i += 3) {
        SimMac m = mac_n(i);
        cr_assert(sim_fdb_remove(f, &m, 1));
    }
    for (uint32_t i = 0; i < n; i++) {
        SimMac m = mac_n(i);
        cr_assert_eq(sim_fdb_lookup(f, &m, 1, n, NULL), i % 3 != 0, "entry %u", i);
    }
    /* Entries were seen at t = i ns; expire the older half by time. */
    SimTime next;
    guint gone = sim_fdb_expire(f, 300 * SIM_SEC + n / 2, NULL, &next);
    guint expected = 0;
    for (uint32_t i = 0; i <= n / 2; i++)
        expected += i % 3 != 0;
    cr_assert_eq(gone, expected);
    cr_assert_eq(sim_fdb_count(f), n - (n + 2) / 3 - expected);
    for (uint32_t i = 0; i < n; i++) {
        SimMac m = mac_n(i);
        SimFdbEntry e;
        cr_assert_eq(sim_fdb_get(f, &m, 1, &e), i % 3 != 0 && i > n / 2, "entry %u", i);
    }
    cr_assert_eq(next, 300 * SIM_SEC + n / 2 + 1);
}

Test(fdb, iteration_is_sorted_by_port_then_mac)
{
    g_autoptr(SimFdb) f = sim_fdb_new(64, 300 * SIM_SEC);
    /* Inserted in a scrambled order. */
    const uint32_t ids[] = {9, 3, 27, 1, 14, 6, 21, 2, 30, 11};
    for (guint i = 0; i < G_N_ELEMENTS(ids); i++) {
        SimMac m = mac_n(ids[i]);
        sim_fdb_learn(f, &m, 1, ids[i] % 3, 0, NULL);
    }
    SimMac s = mac_n(5);
    sim_fdb_add_static(f, &s, 1, 0, 0);
    g_autoptr(GArray) e = sim_fdb_entries(f, 1);
    cr_assert_eq(e->len, G_N_ELEMENTS(ids) + 1);
    for (guint i = 1; i < e->len; i++) {
        const SimFdbEntry *a = &g_array_index(e, SimFdbEntry, i - 1);
        const SimFdbEntry *b = &g_array_index(e, SimFdbEntry, i);
        cr_assert(a->port < b->port ||
                  (a->port == b->port && sim_mac_to_u64(&a->mac) < sim_mac_to_u64(&b->mac)));
    }
    const SimFdbEntry *first = &g_array_index(e, SimFdbEntry, 0);
    cr_assert_eq(first->port, 0);
    cr_assert(sim_mac_equal(&first->mac, &(SimMac){{0x02, 0, 0, 0, 0, 4}})); /* id 3 */
    cr_assert_eq(first->vlan, 1);
    cr_assert_not(first->is_static);

    /* Same entries, different insertion order: same listing. */
    g_autoptr(SimFdb) g = sim_fdb_new(64, 300 * SIM_SEC);
    sim_fdb_add_static(g, &s, 1, 0, 0);
    for (guint i = G_N_ELEMENTS(ids); i-- > 0;) {
        SimMac m = mac_n(ids[i]);
        sim_fdb_learn(g, &m, 1, ids[i] % 3, 0, NULL);
    }
    g_autoptr(GArray) e2 = sim_fdb_entries(g, 1);
    cr_assert_eq(e2->len, e->len);
    cr_assert_eq(memcmp(e->data, e2->data, e->len * sizeof(SimFdbEntry)), 0);
    /* Expired entries are not listed. */
    g_autoptr(GArray) later = sim_fdb_entries(f, 300 * SIM_SEC);
    cr_assert_eq(later->len, 1);
    cr_assert(g_array_index(later, SimFdbEntry, 0).is_static);
}

Test(fdb, flush_by_port)
{
    g_autoptr(SimFdb) f = sim_fdb_new(256, 300 * SIM_SEC);
    for (uint32_t i = 0; i < 200; i++) {
        SimMac m = mac_n(i);
        sim_fdb_learn(f, &m, 1, i % 4, 0, NULL);
    }
    g_autoptr(GArray) removed = g_array_new(FALSE, FALSE, sizeof(SimFdbEntry));
    cr_assert_eq(sim_fdb_flush(f, 2, false, removed), 50);
    cr_assert_eq(removed->len, 50);
    for (uint32_t i = 0; i < 200; i++) {
        SimMac m = mac_n(i);
        cr_assert_eq(sim_fdb_lookup(f, &m, 1, 0, NULL), i % 4 != 2);
    }
}

/* The expiry heap (fdb.h) against a plain model: random learning,
 * refreshes, moves, removals, flushes, statics and sweeps at random times,
 * checking after every sweep what was removed, the count and the reported
 * next expiry, which must be exactly what a scan of the table gives. */
typedef struct {
    bool present, is_static;
    SimTime last_seen;
    guint port;
} ModelEntry;

static SimTime model_next(const ModelEntry *m, guint n, SimTime aging)
{
    SimTime next = SIM_TIME_MAX;
    for (guint i = 0; i < n; i++)
        if (m[i].present && !m[i].is_static)
            next = MIN(next, m[i].last_seen + aging);
    return next;
}

Test(fdb, expiry_heap_matches_a_scan_under_churn)
{
    enum { N = 200 };
    const SimTime aging = 1000;
    ModelEntry m[N] = {0};
    g_autoptr(SimFdb) f = sim_fdb_new(N, aging);
    g_autoptr(GRand) rng = g_rand_new_with_seed(7);
    g_autoptr(GArray) removed = g_array_new(FALSE, FALSE, sizeof(SimFdbEntry));
    SimTime now = 0;
    for (int step = 0; step < 20000; step++) {
        now += (SimTime)g_rand_int_range(rng, 0, 20);
        guint i = (guint)g_rand_int_range(rng, 0, N);
        SimMac mac = mac_n(i);
        int op = g_rand_int_range(rng, 0, 100);
        if (op < 70) { /* traffic from i (learn, refresh or move) */
            guint port = (guint)g_rand_int_range(rng, 0, 4);
            SimFdbLearn r = sim_fdb_learn(f, &mac, 1, port, now, NULL);
            if (m[i].is_static) {
                cr_assert_eq(r, SIM_FDB_STATIC);
            } else {
                bool live = m[i].present && now - m[i].last_seen < aging;
                cr_assert_eq(r == SIM_FDB_NEW, !live, "step %d", step);
                m[i] = (ModelEntry){true, false, now, port};
            }
        } else if (op < 75) {
            cr_assert_eq(sim_fdb_remove(f, &mac, 1), m[i].present);
            m[i] = (ModelEntry){0};
        } else if (op < 77) {
            guint port = (guint)g_rand_int_range(rng, 0, 4);
            guint want = 0;
            for (guint k = 0; k < N; k++) {
                if (m[k].present && !m[k].is_static && m[k].port == port) {
                    m[k].present = false;
                    want++;
                }
            }
            cr_assert_eq(sim_fdb_flush(f, (int)port, false, NULL), want, "step %d", step);
        } else if (op < 78) {
            cr_assert(sim_fdb_add_static(f, &mac, 1, 3, now));
            m[i] = (ModelEntry){true, true, now, 3};
        } else { /* a sweep */
            g_array_set_size(removed, 0);
            SimTime next;
            guint gone = sim_fdb_expire(f, now, removed, &next);
            guint want = 0;
            for (guint k = 0; k < N; k++) {
                if (m[k].present && !m[k].is_static && now - m[k].last_seen >= aging) {
                    m[k].present = false;
                    want++;
                }
            }
            cr_assert_eq(gone, want, "step %d", step);
            cr_assert_eq(removed->len, want);
            cr_assert_eq(next, model_next(m, N, aging), "step %d", step);
        }
        guint count = 0;
        for (guint k = 0; k < N; k++)
            count += m[k].present;
        cr_assert_eq(sim_fdb_count(f), count, "step %d", step);
    }
}
