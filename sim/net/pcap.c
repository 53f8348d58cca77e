/* pcap.c - classic pcap writer. The format is little-endian here by choice
 * (readers detect byte order from the magic). */
#include "sim/net/pcap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* clang-format would put spaces into the quark's name. */
// clang-format off
G_DEFINE_QUARK(sim-pcap-error-quark, sim_pcap_error)
// clang-format on

struct _SimPcap {
    FILE *f;
    char *path;
    uint64_t count;
    gboolean failed;
    int err;      /* errno of the failed write, if that was the failure */
    SimTime late; /* else the frame time classic pcap could not hold */
};

static void put32le(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static void put16le(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

SimPcap *sim_pcap_open(const char *path, GError **error)
{
    /* O_NOFOLLOW: a symlink planted under a capture's name must not have
     * its target overwritten (issue #12); it is refused instead. */
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0666);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!f) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        if (e == ELOOP)
            g_set_error(error, SIM_PCAP_ERROR, SIM_PCAP_ERROR_IO,
                        "%s: is a symbolic link; not following it (remove it or pick another "
                        "directory)",
                        path);
        else
            g_set_error(error, SIM_PCAP_ERROR, SIM_PCAP_ERROR_IO, "%s: %s", path, g_strerror(e));
        return NULL;
    }
    uint8_t hdr[24];
    put32le(hdr, SIM_PCAP_MAGIC_NS);
    put16le(hdr + 4, 2);
    put16le(hdr + 6, 4);
    put32le(hdr + 8, 0);  /* thiszone */
    put32le(hdr + 12, 0); /* sigfigs */
    put32le(hdr + 16, SIM_PCAP_SNAPLEN);
    put32le(hdr + 20, SIM_PCAP_LINKTYPE_ETHERNET);
    if (fwrite(hdr, sizeof hdr, 1, f) != 1) {
        int e = errno;
        fclose(f);
        g_set_error(error, SIM_PCAP_ERROR, SIM_PCAP_ERROR_IO, "%s: %s", path, g_strerror(e));
        return NULL;
    }
    SimPcap *pc = g_new0(SimPcap, 1);
    pc->f = f;
    pc->path = g_strdup(path);
    return pc;
}

gboolean sim_pcap_write(SimPcap *pc, SimTime t, const uint8_t *frame, size_t len)
{
    if (pc->failed)
        return FALSE;
    g_assert(len <= UINT32_MAX);
    uint32_t caplen = len > SIM_PCAP_SNAPLEN ? SIM_PCAP_SNAPLEN : (uint32_t)len;
    /* The classic header has 32-bit seconds: ~136 years of simulated time.
     * Past that the file fails (and says why at close) rather than wrap or
     * abort; `netsim run --pcap` refuses such scenarios before the run. */
    if (t > SIM_PCAP_LAST_TIME) {
        pc->failed = TRUE;
        pc->late = t;
        return FALSE;
    }
    uint64_t sec = t / SIM_SEC;
    uint8_t rec[16];
    put32le(rec, (uint32_t)sec);
    put32le(rec + 4, (uint32_t)(t % SIM_SEC));
    put32le(rec + 8, caplen);
    put32le(rec + 12, (uint32_t)len);
    if (fwrite(rec, sizeof rec, 1, pc->f) != 1 ||
        (caplen && fwrite(frame, caplen, 1, pc->f) != 1)) {
        pc->err = errno ? errno : EIO;
        pc->failed = TRUE;
        return FALSE;
    }
    pc->count++;
    return TRUE;
}

uint64_t sim_pcap_count(const SimPcap *pc)
{
    return pc->count;
}

gboolean sim_pcap_close_checked(SimPcap *pc, GError **error)
{
    if (!pc)
        return TRUE;
    gboolean ok = !pc->failed;
    int e = pc->err ? pc->err : EIO;
    errno = 0;
    if (fflush(pc->f) != 0 || ferror(pc->f)) {
        if (ok)
            e = errno ? errno : EIO;
        ok = FALSE;
    }
    if (fclose(pc->f) != 0 && ok) {
        e = errno;
        ok = FALSE;
    }
    char t[SIM_TIME_STRLEN];
    if (!ok && pc->late)
        g_set_error(error, SIM_PCAP_ERROR, SIM_PCAP_ERROR_IO,
                    "%s: a frame at t=%ss is past the last time classic pcap can stamp "
                    "(4294967295.999999999s)",
                    pc->path, sim_time_format_sec(pc->late, t));
    else if (!ok)
        g_set_error(error, SIM_PCAP_ERROR, SIM_PCAP_ERROR_IO, "%s: write failed: %s", pc->path,
                    g_strerror(e));
    g_free(pc->path);
    g_free(pc);
    return ok;
}

void sim_pcap_close(SimPcap *pc)
{
    if (!pc)
        return;
    g_autoptr(GError) error = NULL;
    if (!sim_pcap_close_checked(pc, &error))
        g_warning("%s", error->message);
}
