/* tshark_run.h - write codec-built frames to a pcap and read them back
 * through tshark (on top of tests/scenario/helpers.h's tshark_run).
 * Header-only (static) because CMake builds each test_*.c alone. */
#pragma once

#include "frames.h"
#include "tests/scenario/helpers.h"

/* Writes n frames to a pcap at path, 1 ms apart. */
static inline void write_frames(const char *path, SimPacket *const *p, size_t n)
{
    g_autoptr(GError) error = NULL;
    SimPcap *pc = sim_pcap_open(path, &error);
    cr_assert_not_null(pc, "%s", error ? error->message : "");
    for (size_t i = 0; i < n; i++)
        cr_assert(sim_pcap_write(pc, (SimTime)(i + 1) * SIM_MS, sim_packet_cdata(p[i]),
                                 sim_packet_len(p[i])));
    cr_assert(sim_pcap_close_checked(pc, &error));
}

/* tshark_check_clean, and no expert warning either (application
 * dissectors such as DHCP's and DNS's report their doubts as warnings). */
static inline void assert_pcap_clean(const char *path, size_t n)
{
    tshark_check_clean(path, (guint)n);
    const char *args[] = {"-n", "-r", path, "-V", NULL};
    g_autofree char *v = tshark_run(args);
    cr_assert_null(strstr(v, "Expert Info (Warning"), "%s", v);
}

/* One line per frame of tab-separated fields (all occurrences of a field
 * joined by ','). Free with g_strfreev. */
static inline char **tshark_field_rows(const char *path, const char *const *fields, size_t nfields)
{
    GPtrArray *args = g_ptr_array_new();
    const char *head[] = {"-r", path, "-T", "fields", "-E", "separator=/t", "-E", "aggregator=,"};
    for (size_t i = 0; i < G_N_ELEMENTS(head); i++)
        g_ptr_array_add(args, (char *)head[i]);
    for (size_t i = 0; i < nfields; i++) {
        g_ptr_array_add(args, "-e");
        g_ptr_array_add(args, (char *)fields[i]);
    }
    g_ptr_array_add(args, NULL);
    g_autofree char *f = tshark_run((const char *const *)args->pdata);
    g_ptr_array_free(args, TRUE);
    return g_strsplit(f, "\n", -1);
}

/* An Ethernet/IPv4/UDP frame from s to d carrying payload. */
static inline SimPacket *frame_udp_bytes(SimPacketPool *pool, const Ep *s, const Ep *d,
                                         uint16_t sport, uint16_t dport, const uint8_t *payload,
                                         size_t n)
{
    SimPacket *p = sim_packet_new(pool, SIM_PACKET_HEADROOM, n);
    memcpy(sim_packet_data(p), payload, n);
    SimUdpHdr u = {.sport = sport, .dport = dport};
    sim_udp_hdr_encode(p, s->ip, d->ip, &u);
    return frame_ip(p, s, d, &s->mac, &d->mac, SIM_IPPROTO_UDP, 64, 0, -1);
}

/* Writes the n frames f to a fresh pcap, requires tshark to read them
 * cleanly, and compares the nfields fields of each frame with row i of
 * expect (n rows of nfields strings, flattened). Unrefs the frames and
 * frees pool. */
static inline void assert_frames_decode(SimPacketPool *pool, SimPacket **f, size_t n,
                                        const char *const *fields, size_t nfields,
                                        const char *const *expect)
{
    g_autofree char *dir = g_dir_make_tmp("netsim-codec-XXXXXX", NULL);
    g_autofree char *pcap = g_build_filename(dir, "codec.pcap", NULL);
    write_frames(pcap, f, n);
    assert_pcap_clean(pcap, n);
    char **lines = tshark_field_rows(pcap, fields, nfields);
    cr_assert_eq(g_strv_length(lines), n + 1);
    for (size_t i = 0; i < n; i++) {
        g_auto(GStrv) cols = g_strsplit(lines[i], "\t", -1);
        cr_assert_eq(g_strv_length(cols), nfields, "%s", lines[i]);
        for (size_t k = 0; k < nfields; k++)
            cr_assert_str_eq(cols[k], expect[i * nfields + k],
                             "frame %zu %s: tshark '%s', sent '%s'", i + 1, fields[k], cols[k],
                             expect[i * nfields + k]);
        sim_packet_unref(f[i]);
    }
    g_strfreev(lines);
    g_unlink(pcap);
    g_rmdir(dir);
    sim_packet_pool_free(pool);
}
