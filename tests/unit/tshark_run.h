/* tshark_run.h - write codec-built frames to a pcap and read them back
 * through tshark (on top of tests/scenario/helpers.h's tshark_run).
 * Header-only (static) because CMake builds each test_*.c alone. */
#pragma once

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
static inline char **tshark_fields(const char *path, const char *const *fields, size_t nfields)
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
