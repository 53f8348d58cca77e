/* test_packet.c - SimPacket buffers: headroom operations, sharing, pool. */
#include <criterion/criterion.h>
#include <signal.h>
#include <string.h>

#include "sim/net/packet.h"

Test(packet, new_is_zeroed_with_headroom)
{
    g_autoptr(SimPacketPool) pool = sim_packet_pool_new();
    SimPacket *p = sim_packet_new(pool, SIM_PACKET_HEADROOM, 100);
    cr_assert_eq(sim_packet_len(p), 100);
    cr_assert_geq(sim_packet_headroom(p), SIM_PACKET_HEADROOM);
    cr_assert_eq(sim_packet_refcount(p), 1);
    for (size_t i = 0; i < 100; i++)
        cr_assert_eq(sim_packet_cdata(p)[i], 0);
    sim_packet_unref(p);
    cr_assert_eq(sim_packet_pool_in_use(pool), 0);
}

Test(packet, uids_increase)
{
    g_autoptr(SimPacketPool) pool = sim_packet_pool_new();
    SimPacket *a = sim_packet_new(pool, 0, 1);
    SimPacket *b = sim_packet_new(pool, 0, 1);
    cr_assert_gt(sim_packet_uid(b), sim_packet_uid(a));
    sim_packet_set_uid(b, 77);
    cr_assert_eq(sim_packet_uid(b), 77);
    sim_packet_unref(a);
    sim_packet_unref(b);
}

Test(packet, push_pull_put_trim)
{
    g_autoptr(SimPacketPool) pool = sim_packet_pool_new();
    SimPacket *p = sim_packet_new(pool, 32, 4);
    memcpy(sim_packet_data(p), "DATA", 4);
    uint8_t *h = sim_packet_push(p, 8);
    cr_assert_eq(h, sim_packet_data(p));
    cr_assert_eq(sim_packet_len(p), 12);
    cr_assert_eq(sim_packet_headroom(p), 24);
    for (int i = 0; i < 8; i++)
        cr_assert_eq(h[i], 0, "pushed bytes are zeroed");
    memcpy(h, "HEADER::", 8);
    cr_assert_eq(memcmp(sim_packet_cdata(p), "HEADER::DATA", 12), 0);

    uint8_t *t = sim_packet_put(p, 3);
    cr_assert_eq(t, sim_packet_data(p) + 12);
    memcpy(t, "xyz", 3);
    cr_assert_eq(memcmp(sim_packet_cdata(p), "HEADER::DATAxyz", 15), 0);

    uint8_t *after = sim_packet_pull(p, 8);
    cr_assert_eq(after, sim_packet_data(p));
    cr_assert_eq(memcmp(after, "DATAxyz", 7), 0);
    cr_assert_null(sim_packet_pull(p, 8), "pulling more than len fails");
    cr_assert_eq(sim_packet_len(p), 7, "a failed pull changes nothing");

    sim_packet_trim(p, 4);
    cr_assert_eq(sim_packet_len(p), 4);
    sim_packet_trim(p, 100);
    cr_assert_eq(sim_packet_len(p), 4, "trim never grows");
    sim_packet_unref(p);
}

Test(packet, put_grows_past_small_capacity)
{
    g_autoptr(SimPacketPool) pool = sim_packet_pool_new();
    SimPacket *p = sim_packet_new(pool, SIM_PACKET_HEADROOM, 1000);
    for (size_t i = 0; i < 1000; i++)
        sim_packet_data(p)[i] = (uint8_t)i;
    /* Several puts crossing SIM_PACKET_SMALL, then a big one. */
    for (int k = 0; k < 5; k++) {
        uint8_t *t = sim_packet_put(p, 500);
        memset(t, 0xab, 500);
    }
    uint8_t *big = sim_packet_put(p, 20000);
    cr_assert_eq(big[19999], 0);
    cr_assert_eq(sim_packet_len(p), 1000 + 2500 + 20000);
    cr_assert_eq(sim_packet_headroom(p), SIM_PACKET_HEADROOM, "headroom survives growth");
    for (size_t i = 0; i < 1000; i++)
        cr_assert_eq(sim_packet_cdata(p)[i], (uint8_t)i);
    cr_assert_eq(sim_packet_cdata(p)[1000 + 2499], 0xab);
    sim_packet_push(p, 10);
    sim_packet_unref(p);
    cr_assert_eq(sim_packet_pool_in_use(pool), 0);
}

Test(packet, large_new)
{
    g_autoptr(SimPacketPool) pool = sim_packet_pool_new();
    SimPacket *p = sim_packet_new(pool, SIM_PACKET_HEADROOM, 65535);
    cr_assert_eq(sim_packet_len(p), 65535);
    cr_assert_eq(sim_packet_cdata(p)[65534], 0);
    sim_packet_unref(p);
    uint64_t before = sim_packet_pool_allocated(pool);
    p = sim_packet_new(pool, SIM_PACKET_HEADROOM, 60000);
    cr_assert_eq(sim_packet_pool_allocated(pool), before, "large buffers are reused");
    sim_packet_unref(p);
}

Test(packet, copy_on_write)
{
    g_autoptr(SimPacketPool) pool = sim_packet_pool_new();
    SimPacket *p = sim_packet_new(pool, 16, 4);
    memcpy(sim_packet_data(p), "abcd", 4);
    uint64_t uid = sim_packet_uid(p);

    /* Not shared: make_writable returns the same packet. */
    SimPacket *same = sim_packet_make_writable(p);
    cr_assert_eq(same, p);

    SimPacket *other = sim_packet_ref(p);
    cr_assert_eq(sim_packet_refcount(p), 2);
    SimPacket *w = sim_packet_make_writable(p); /* consumes one reference */
    cr_assert_neq(w, other);
    cr_assert_eq(sim_packet_refcount(other), 1);
    cr_assert_eq(sim_packet_refcount(w), 1);
    cr_assert_eq(sim_packet_uid(w), uid, "the copy keeps the uid");
    cr_assert_geq(sim_packet_headroom(w), 16);
    sim_packet_data(w)[0] = 'X';
    cr_assert_eq(memcmp(sim_packet_cdata(other), "abcd", 4), 0, "the original is untouched");
    cr_assert_eq(memcmp(sim_packet_cdata(w), "Xbcd", 4), 0);
    sim_packet_unref(w);
    sim_packet_unref(other);
    cr_assert_eq(sim_packet_pool_in_use(pool), 0);
}

Test(packet, copy_preserves_uid_and_bytes)
{
    g_autoptr(SimPacketPool) pool = sim_packet_pool_new();
    SimPacket *p = sim_packet_new(pool, 8, 3);
    memcpy(sim_packet_data(p), "xyz", 3);
    SimPacket *c = sim_packet_copy(p);
    cr_assert_eq(sim_packet_uid(c), sim_packet_uid(p));
    cr_assert_eq(sim_packet_len(c), 3);
    cr_assert_eq(memcmp(sim_packet_cdata(c), "xyz", 3), 0);
    SimPacket *n = sim_packet_new(pool, 0, 1);
    cr_assert_gt(sim_packet_uid(n), sim_packet_uid(p), "copy does not consume a uid");
    sim_packet_unref(n);
    sim_packet_unref(c);
    sim_packet_unref(p);
}

Test(packet, unref_null_is_noop)
{
    sim_packet_unref(NULL);
    sim_packet_pool_free(NULL);
}

Test(packet, pool_reuse_100k)
{
    g_autoptr(SimPacketPool) pool = sim_packet_pool_new();
    SimPacket *live[8] = {0};
    for (int i = 0; i < 100000; i++) {
        int slot = i % 8;
        sim_packet_unref(live[slot]);
        live[slot] = sim_packet_new(pool, SIM_PACKET_HEADROOM, 60 + (size_t)(i % 1400));
        sim_packet_push(live[slot], 14);
    }
    cr_assert_eq(sim_packet_pool_in_use(pool), 8);
    /* 8 live at most in each of the two classes the sizes fall in. */
    cr_assert_leq(sim_packet_pool_allocated(pool), 16, "allocated %lu buffers",
                  (unsigned long)sim_packet_pool_allocated(pool));
    for (int i = 0; i < 8; i++)
        sim_packet_unref(live[i]);
    cr_assert_eq(sim_packet_pool_in_use(pool), 0);
}

Test(packet, pool_free_with_live_packet_aborts, .signal = SIGABRT)
{
    SimPacketPool *pool = sim_packet_pool_new();
    SimPacket *p = sim_packet_new(pool, 0, 10);
    (void)p;
    sim_packet_pool_free(pool);
}

/* sim_packet_share (TCP's send queue): the view gets its own headers in
 * the shared headroom, the owner's bytes stay, a router's make_writable on
 * the view does not copy, a second view waits for the first, and put on
 * the owner while shared moves it to a buffer of its own. */
Test(packet, share_payload_with_owner)
{
    g_autoptr(SimPacketPool) pool = sim_packet_pool_new();
    SimPacket *own = sim_packet_new(pool, 64, 4);
    memcpy(sim_packet_data(own), "data", 4);
    cr_assert_not(sim_packet_headers_shared(own));
    SimPacket *v = sim_packet_share(own);
    cr_assert_neq(sim_packet_uid(v), sim_packet_uid(own), "a new frame");
    cr_assert(sim_packet_headers_shared(own));
    memcpy(sim_packet_push(v, 3), "hdr", 3);
    cr_assert_eq(memcmp(sim_packet_cdata(v), "hdrdata", 7), 0);
    cr_assert_eq(memcmp(sim_packet_cdata(own), "data", 4), 0);
    cr_assert_eq(sim_packet_make_writable(v), v, "headers are the view's own");
    uint64_t bytes = sim_packet_pool_bytes_in_use(pool);
    memcpy(sim_packet_put(own, 4), "more", 4);
    cr_assert_gt(sim_packet_pool_bytes_in_use(pool), bytes, "the owner moved out");
    cr_assert_eq(memcmp(sim_packet_cdata(own), "datamore", 8), 0);
    cr_assert_eq(memcmp(sim_packet_cdata(v), "hdrdata", 7), 0, "the view kept its bytes");
    cr_assert_not(sim_packet_headers_shared(own));
    SimPacket *v2 = sim_packet_share(own);
    cr_assert(sim_packet_headers_shared(own));
    sim_packet_unref(v2);
    cr_assert_not(sim_packet_headers_shared(own));
    sim_packet_unref(own);
    cr_assert_eq(memcmp(sim_packet_cdata(v), "hdrdata", 7), 0, "the view outlives the owner");
    sim_packet_unref(v);
    cr_assert_eq(sim_packet_pool_in_use(pool), 0);
    cr_assert_eq(sim_packet_pool_bytes_in_use(pool), 0);
}
