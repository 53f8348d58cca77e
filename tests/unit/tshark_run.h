/* tshark_run.h - run tshark from a test and count what it printed.
 * Header-only (static) because CMake builds each test_*.c alone. tshark is
 * a required test dependency: without it the calling test fails. */
#pragma once

#include <criterion/criterion.h>
#include <glib.h>
#include <string.h>

#include "sim/net/l4_hdr.h"
#include "sim/net/packet.h"
#include "sim/net/pcap.h"

/* Runs tshark with args (after the program name, NULL-terminated); fails
 * the test when tshark is missing or exits non-zero. Returns its stdout. */
static inline char *run_tshark(const char *const *args)
{
    g_autofree char *prog = g_find_program_in_path("tshark");
    if (!prog)
        cr_assert_fail("tshark not found in PATH: it is a required test dependency "
                       "(apt-get install tshark)");
    GPtrArray *argv = g_ptr_array_new();
    g_ptr_array_add(argv, prog);
    for (size_t i = 0; args[i]; i++)
        g_ptr_array_add(argv, (char *)args[i]);
    g_ptr_array_add(argv, NULL);
    char *out = NULL, *err = NULL;
    int status = 0;
    g_autoptr(GError) error = NULL;
    gboolean ok = g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                               &err, &status, &error);
    g_ptr_array_free(argv, TRUE);
    cr_assert(ok, "cannot run tshark: %s", error ? error->message : "?");
    cr_assert(g_spawn_check_wait_status(status, NULL), "tshark failed: %s", err);
    g_free(err);
    return out;
}

static inline size_t count_substr(const char *hay, const char *needle)
{
    size_t k = 0;
    for (const char *s = hay; (s = strstr(s, needle)); s += strlen(needle))
        k++;
    return k;
}

/* Fails the test if tshark's -V output v shows a malformed frame, an
 * expert error or warning, or a bad checksum. */
static inline void assert_tshark_clean(const char *v)
{
    cr_assert_null(strstr(v, "Malformed"), "%s", v);
    cr_assert_null(strstr(v, "Expert Info (Error"), "%s", v);
    cr_assert_null(strstr(v, "Expert Info (Warning"), "%s", v);
    cr_assert_null(strstr(v, "[Bad"), "%s", v);
    cr_assert_null(strstr(v, "incorrect"), "%s", v);
    cr_assert_null(strstr(v, "Bad]"), "%s", v);
}

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

/* tshark -V over the pcap with checksum checks on; asserts it is clean and
 * read n frames. */
static inline void assert_pcap_clean(const char *path, size_t n)
{
    const char *args[] = {
        "-r", path, "-V", "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", NULL};
    g_autofree char *v = run_tshark(args);
    cr_assert_eq(count_substr(v, " bytes on wire "), n, "tshark read every frame:\n%s", v);
    assert_tshark_clean(v);
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
    g_autofree char *f = run_tshark((const char *const *)args->pdata);
    g_ptr_array_free(args, TRUE);
    return g_strsplit(f, "\n", -1);
}
