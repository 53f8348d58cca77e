/* sink_pcap.c - see sink_pcap.h. */
#include "sim/cli/sink_pcap.h"

#include "sim/core/trace.h"
#include "sim/link/iface.h"
#include "sim/link/node.h"
#include "sim/net/packet.h"
#include "sim/net/pcap.h"
#include "sim/link/network.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

typedef struct {
    char *path;
    SimPcap *pc; /* NULL once closed, or when opening or writing failed */
    uint64_t frames;
    bool failed; /* opening or writing failed: reported, and removed if it exists */
} Capture;

struct _SimPcapSink {
    SimWorld *world;
    char *dir;
    guint sub;
    bool closed;
    GPtrArray *captures; /* Capture *, owned, in order of first frame */
    GHashTable *by_key;  /* "node\x1fiface" (owned) -> Capture * (borrowed) */
    GHashTable *names;   /* file names in use (owned keys), for collisions */
    GString *key;        /* reused lookup key */
    uint64_t frames;
    GPtrArray *errors; /* every file's I/O error message, in order */
};

static void capture_free(gpointer data)
{
    Capture *c = data;
    sim_pcap_close(c->pc);
    g_free(c->path);
    g_free(c);
}

static void keep_error(SimPcapSink *s, Capture *c, GError *e)
{
    c->failed = true;
    g_ptr_array_add(s->errors, g_strdup(e->message));
    g_error_free(e);
}

/* "<node>-<iface>" with unsafe characters replaced, made unique. */
static char *file_name(SimPcapSink *s, const char *node, const char *iface)
{
    g_autofree char *base = g_strdup_printf("%s-%s", node, iface);
    for (char *p = base; *p; p++) {
        if (!g_ascii_isalnum(*p) && *p != '_' && *p != '.' && *p != '-')
            *p = '_';
    }
    char *name = g_strdup_printf("%s.pcap", base);
    for (unsigned n = 2; g_hash_table_contains(s->names, name); n++) {
        g_free(name);
        name = g_strdup_printf("%s-%u.pcap", base, n);
    }
    g_hash_table_add(s->names, g_strdup(name));
    return name;
}

static void set_key(SimPcapSink *s, const char *node, const char *iface)
{
    g_string_assign(s->key, node);
    g_string_append_c(s->key, '\x1f');
    g_string_append(s->key, iface);
}

static Capture *open_capture(SimPcapSink *s, const char *node, const char *iface)
{
    g_autofree char *name = file_name(s, node, iface);
    Capture *c = g_new0(Capture, 1);
    c->path = g_build_filename(s->dir, name, NULL);
    GError *e = NULL;
    c->pc = sim_pcap_open(c->path, &e);
    if (!c->pc)
        keep_error(s, c, e); /* the capture stays, so opening is not retried */
    g_ptr_array_add(s->captures, c);
    g_hash_table_insert(s->by_key, g_strdup(s->key->str), c);
    return c;
}

static void on_record(const SimTraceRecord *rec, void *user)
{
    SimPcapSink *s = user;
    if (!rec->packet || !rec->node || !rec->iface)
        return;
    set_key(s, rec->node, rec->iface);
    Capture *c = g_hash_table_lookup(s->by_key, s->key->str);
    if (!c)
        c = open_capture(s, rec->node, rec->iface);
    if (!c->pc)
        return;
    if (!sim_pcap_write(c->pc, rec->time, sim_packet_cdata(rec->packet),
                        sim_packet_len(rec->packet))) {
        GError *e = NULL;
        if (sim_pcap_close_checked(c->pc, &e))
            e = g_error_new(SIM_PCAP_ERROR, SIM_PCAP_ERROR_IO, "%s: write failed", c->path);
        keep_error(s, c, e);
        c->pc = NULL;
        return;
    }
    c->frames++;
    s->frames++;
}

/* Every error message, one per line (indented after the first), up to
 * MAX_LISTED, then how many more: a topology of 20,000 hosts over the
 * open-file limit must not print 40,000 lines. */
#define MAX_LISTED 20

static char *error_list(SimPcapSink *s)
{
    GString *out = g_string_new(NULL);
    for (guint i = 0; i < s->errors->len && i < MAX_LISTED; i++)
        g_string_append_printf(out, "%s%s", i ? "\n  " : "",
                               (const char *)g_ptr_array_index(s->errors, i));
    if (s->errors->len > MAX_LISTED)
        g_string_append_printf(out, "\n  ... and %u more files", s->errors->len - MAX_LISTED);
    return g_string_free(out, FALSE);
}

SimPcapSink *sim_pcap_sink_new(SimWorld *w, const char *dir, GError **error)
{
    if (g_mkdir_with_parents(dir, 0777) != 0) {
        int e = errno;
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e),
                    "cannot create capture directory %s: %s", dir, g_strerror(e));
        return NULL;
    }
    SimPcapSink *s = g_new0(SimPcapSink, 1);
    s->world = w;
    s->dir = g_strdup(dir);
    s->captures = g_ptr_array_new_with_free_func(capture_free);
    s->by_key = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    s->names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    s->key = g_string_sized_new(64);
    s->errors = g_ptr_array_new_with_free_func(g_free);
    /* Every interface the world has now gets its file before the run, so
     * an unwritable directory or a planted symlink is found before any
     * simulated time passes; files that stay empty are removed at close. */
    for (guint i = 0; i < sim_network_n_nodes(sim_network_of(w)); i++) {
        SimNode *node = sim_network_node(sim_network_of(w), i);
        for (guint k = 0; k < sim_node_n_ifaces(node); k++) {
            const char *iface = sim_iface_name(sim_node_iface(node, k));
            set_key(s, sim_node_name(node), iface);
            if (!g_hash_table_contains(s->by_key, s->key->str))
                open_capture(s, sim_node_name(node), iface);
        }
    }
    if (s->errors->len) {
        g_autofree char *list = error_list(s);
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot create capture files:\n  %s",
                    list);
        s->closed = true; /* not subscribed yet */
        for (guint i = 0; i < s->captures->len; i++) {
            Capture *c = g_ptr_array_index(s->captures, i);
            if (c->pc) {
                sim_pcap_close(c->pc);
                c->pc = NULL;
                g_remove(c->path); /* nothing is left behind from a run not made */
            }
        }
        sim_pcap_sink_free(s);
        return NULL;
    }
    s->sub = sim_trace_subscribe(sim_world_trace(w),
                                 SIM_TRACE_BIT(SIM_TR_TX) | SIM_TRACE_BIT(SIM_TR_RX), on_record, s);
    return s;
}

gboolean sim_pcap_sink_close(SimPcapSink *s, GError **error)
{
    if (!s->closed) {
        s->closed = true;
        sim_trace_unsubscribe(sim_world_trace(s->world), s->sub);
        for (guint i = 0; i < s->captures->len; i++) {
            Capture *c = g_ptr_array_index(s->captures, i);
            GError *e = NULL;
            if (c->pc && !sim_pcap_close_checked(c->pc, &e))
                keep_error(s, c, e);
            c->pc = NULL;
        }
        /* A partial capture is removed rather than left to pass for a
         * whole one; an interface that saw no frame keeps no file. */
        for (guint i = s->captures->len; i-- > 0;) {
            Capture *c = g_ptr_array_index(s->captures, i);
            if (c->failed || c->frames == 0) {
                g_remove(c->path);
                g_ptr_array_remove_index(s->captures, i);
            }
        }
    }
    if (s->errors->len) {
        g_autofree char *list = error_list(s);
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                    "cannot write capture files (partial files removed):\n  %s", list);
        return FALSE;
    }
    return TRUE;
}

void sim_pcap_sink_free(SimPcapSink *s)
{
    if (!s)
        return;
    sim_pcap_sink_close(s, NULL);
    g_ptr_array_free(s->captures, TRUE);
    g_hash_table_destroy(s->by_key);
    g_hash_table_destroy(s->names);
    g_string_free(s->key, TRUE);
    g_ptr_array_free(s->errors, TRUE);
    g_free(s->dir);
    g_free(s);
}

guint sim_pcap_sink_n_files(const SimPcapSink *s)
{
    return s->captures->len;
}

uint64_t sim_pcap_sink_frames(const SimPcapSink *s)
{
    return s->frames;
}

const char *sim_pcap_sink_path(const SimPcapSink *s, guint i)
{
    g_assert(i < s->captures->len);
    return ((const Capture *)g_ptr_array_index(s->captures, i))->path;
}
