/* helpers.h - shared pieces of the scenario tests: a trace recorder, a pcap
 * capture of every frame a world transmits, and a tshark checker.
 * Header-only (static functions) because CMake builds each test_*.c alone.
 */
#pragma once

#include "sim/core/world.h"
#include "sim/l3/ipstack.h"
#include "sim/l3/node_ip.h"
#include "sim/link/iface.h"
#include "sim/link/link.h"
#include "sim/link/node.h"
#include "sim/net/packet.h"
#include "sim/net/pcap.h"
#include "sim/link/network.h"

#include <criterion/criterion.h>
#include <glib/gstdio.h>
#include <string.h>

/* ---- trace recorder ------------------------------------------------------- */

typedef struct {
    SimTime time;
    SimTraceKind kind;
    SimDropReason reason;
    char *node, *iface, *detail;
    uint64_t uid; /* packet uid, 0 without a packet */
} Rec;

typedef struct {
    SimWorld *w;
    guint sub;
    GArray *recs; /* Rec */
    guint counts[SIM_TR_N_KINDS];
    /* pcap of transmitted frames */
    SimPcap *pcap;
    char *pcap_path;
    bool hosts_only; /* capture only frames that hosts/routers send */
    guint frames;
} Recorder;

static inline void rec_clear(Rec *r)
{
    g_free(r->node);
    g_free(r->iface);
    g_free(r->detail);
}

static inline bool node_is_ip(SimWorld *w, const char *name)
{
    SimNode *n = name ? sim_network_find_node(sim_network_of(w), name) : NULL;
    return n && sim_ip_stack(n) != NULL;
}

static inline void recorder_cb(const SimTraceRecord *t, void *user)
{
    Recorder *r = user;
    Rec rec = {t->time,
               t->kind,
               t->reason,
               g_strdup(t->node),
               g_strdup(t->iface),
               g_strdup(t->detail),
               t->packet ? sim_packet_uid(t->packet) : 0};
    g_array_append_val(r->recs, rec);
    r->counts[t->kind]++;
    if (t->kind == SIM_TR_TX && r->pcap && t->packet &&
        (!r->hosts_only || node_is_ip(r->w, t->node))) {
        sim_pcap_write(r->pcap, t->time, sim_packet_cdata(t->packet), sim_packet_len(t->packet));
        r->frames++;
    }
}

/* Records every kind; with pcap_name, also writes transmitted frames to a
 * file of that name in a fresh temporary directory. */
static inline Recorder *recorder_new(SimWorld *w, const char *pcap_name, bool hosts_only)
{
    Recorder *r = g_new0(Recorder, 1);
    r->w = w;
    r->recs = g_array_new(FALSE, FALSE, sizeof(Rec));
    g_array_set_clear_func(r->recs, (GDestroyNotify)rec_clear);
    r->hosts_only = hosts_only;
    if (pcap_name) {
        g_autofree char *dir = g_dir_make_tmp("netsim-l3-XXXXXX", NULL);
        cr_assert_not_null(dir);
        r->pcap_path = g_build_filename(dir, pcap_name, NULL);
        g_autoptr(GError) err = NULL;
        r->pcap = sim_pcap_open(r->pcap_path, &err);
        cr_assert_not_null(r->pcap, "%s", err ? err->message : "");
    }
    r->sub = sim_trace_subscribe(sim_world_trace(w), SIM_TRACE_ALL, recorder_cb, r);
    return r;
}

/* Closes the capture (so tshark can read it). */
static inline void recorder_close_pcap(Recorder *r)
{
    if (r->pcap) {
        g_autoptr(GError) err = NULL;
        cr_assert(sim_pcap_close_checked(r->pcap, &err), "%s", err ? err->message : "");
        r->pcap = NULL;
    }
}

static inline void recorder_free(Recorder *r)
{
    sim_trace_unsubscribe(sim_world_trace(r->w), r->sub);
    recorder_close_pcap(r);
    if (r->pcap_path) {
        g_remove(r->pcap_path);
        g_autofree char *dir = g_path_get_dirname(r->pcap_path);
        g_rmdir(dir);
    }
    g_free(r->pcap_path);
    g_array_free(r->recs, TRUE);
    g_free(r);
}

/* Records of a kind (and node, if non-NULL) whose detail contains needle
 * (if non-NULL), from index `from` on. */
static inline guint rec_count(const Recorder *r, SimTraceKind kind, const char *node,
                              const char *needle, guint from)
{
    guint n = 0;
    for (guint i = from; i < r->recs->len; i++) {
        const Rec *x = &g_array_index(r->recs, Rec, i);
        if (x->kind == kind && (!node || g_strcmp0(x->node, node) == 0) &&
            (!needle || strstr(x->detail, needle)))
            n++;
    }
    return n;
}

/* The app lines of a node, joined with '\n' (each line terminated). */
static inline char *app_output(const Recorder *r, const char *node)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < r->recs->len; i++) {
        const Rec *x = &g_array_index(r->recs, Rec, i);
        if (x->kind == SIM_TR_APP && g_strcmp0(x->node, node) == 0)
            g_string_append_printf(s, "%s\n", x->detail);
    }
    return g_string_free(s, FALSE);
}

/* Dumps the trace (for failing tests: run with --verbose). */
static inline void recorder_dump(const Recorder *r)
{
    for (guint i = 0; i < r->recs->len; i++) {
        const Rec *x = &g_array_index(r->recs, Rec, i);
        char t[SIM_TIME_STRLEN];
        cr_log_info("%s %-8s %-5s %-12s %s%s%s", sim_time_format_sec(x->time, t),
                    x->node ? x->node : "-", x->iface ? x->iface : "-",
                    sim_trace_kind_name(x->kind), x->detail, x->reason ? " / " : "",
                    x->reason ? sim_trace_reason_name(x->reason) : "");
    }
}

/* ---- tshark --------------------------------------------------------------- */

static inline char *tshark_run(const char *const *args)
{
    g_autofree char *tshark = g_find_program_in_path("tshark");
    cr_assert_not_null(tshark, "tshark is required (apt-get install tshark)");
    GPtrArray *argv = g_ptr_array_new();
    g_ptr_array_add(argv, tshark);
    for (const char *const *a = args; *a; a++)
        g_ptr_array_add(argv, (char *)*a);
    g_ptr_array_add(argv, NULL);
    char *out = NULL;
    g_autofree char *err = NULL;
    int status = 0;
    cr_assert(g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                           &err, &status, NULL));
    g_ptr_array_free(argv, TRUE);
    cr_assert(g_spawn_check_wait_status(status, NULL), "tshark failed: %s", err);
    return out;
}

/* tshark -T fields over path: one line per frame, the NULL-terminated
 * fields separated by commas. */
static inline char *tshark_fields(const char *path, const char *const *fields)
{
    GPtrArray *a = g_ptr_array_new();
    const char *head[] = {"-n", "-r", path, "-T", "fields", "-E", "separator=,"};
    for (size_t i = 0; i < G_N_ELEMENTS(head); i++)
        g_ptr_array_add(a, (char *)head[i]);
    for (const char *const *f = fields; *f; f++) {
        g_ptr_array_add(a, "-e");
        g_ptr_array_add(a, (char *)*f);
    }
    g_ptr_array_add(a, NULL);
    char *out = tshark_run((const char *const *)a->pdata);
    g_ptr_array_free(a, TRUE);
    return out;
}

/* tshark must dissect all `frames` frames of path with checksum validation
 * on and flag nothing (no malformed packet, no bad checksum, no error-level
 * expert info), quoted headers inside ICMP errors included. */
static inline void tshark_check_clean(const char *path, guint frames)
{
    const char *args[] = {
        "-n", "-r", path, "-V", "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
        NULL};
    g_autofree char *out = tshark_run(args);
    cr_assert_null(strstr(out, "Malformed"), "%s", out);
    cr_assert_null(strstr(out, "Expert Info (Error"), "%s", out);
    cr_assert_null(strstr(out, "[Bad"), "%s", out);
    cr_assert_null(strstr(out, "Bad checksum"), "%s", out);
    cr_assert_null(strstr(out, "incorrect"), "%s", out);
    g_autofree char *last = g_strdup_printf("\nFrame %u:", frames);
    g_autofree char *extra = g_strdup_printf("\nFrame %u:", frames + 1);
    cr_assert(frames == 1 || strstr(out, last), "expected %u frames", frames);
    cr_assert_null(strstr(out, extra), "more than %u frames", frames);
}

/* Frames of path whose protocol stack (frame.protocols) contains proto as
 * a whole word, e.g. "arp" or "icmp". */
static inline guint tshark_count_proto(const char *path, const char *proto)
{
    const char *args[] = {"-n", "-r", path, "-T", "fields", "-e", "frame.protocols", NULL};
    g_autofree char *out = tshark_run(args);
    g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
    guint n = 0;
    for (char **l = lines; *l; l++) {
        g_auto(GStrv) parts = g_strsplit(*l, ":", -1);
        for (char **p = parts; *p; p++)
            if (strcmp(*p, proto) == 0) {
                n++;
                break;
            }
    }
    return n;
}

/* ---- building ----------------------------------------------------------- */

static inline SimIpv4 ip4(const char *s)
{
    SimIpv4 a = 0;
    cr_assert(sim_ipv4_parse(s, &a, NULL), "%s", s);
    return a;
}

static inline SimPrefix pfx(const char *s)
{
    SimPrefix p;
    cr_assert(sim_prefix_parse(s, &p, NULL, NULL), "%s", s);
    return p;
}

/* A host with eth0 at addr (a prefix such as "192.168.10.1/24") and an
 * optional gateway. */
static inline SimNode *mk_host(SimWorld *w, const char *name, const char *addr, const char *gw)
{
    SimNode *h = sim_host_new(w, name);
    SimIface *i = sim_ip_add_iface(h, "eth0", NULL);
    SimPrefix p = pfx(addr);
    g_autoptr(GError) err = NULL;
    cr_assert(sim_ip_add_address(h, i, &p, &err), "%s", err ? err->message : "");
    if (gw)
        cr_assert(sim_ip_set_gateway(h, ip4(gw), &err), "%s", err ? err->message : "");
    return h;
}

/* Adds interface ifname with addr to a router (or host). */
static inline SimIface *mk_if(SimNode *n, const char *ifname, const char *addr)
{
    SimIface *i = sim_ip_add_iface(n, ifname, NULL);
    SimPrefix p = pfx(addr);
    g_autoptr(GError) err = NULL;
    cr_assert(sim_ip_add_address(n, i, &p, &err), "%s", err ? err->message : "");
    return i;
}

static inline void mk_route(SimNode *n, const char *dst, const char *via)
{
    SimPrefix p = pfx(dst);
    g_autoptr(GError) err = NULL;
    cr_assert(sim_ip_add_route(n, &p, ip4(via), NULL, 0, &err), "%s", err ? err->message : "");
}

static inline SimLink *mk_link(SimWorld *w, SimIface *a, SimIface *b, uint32_t mtu)
{
    SimLinkParams lp;
    sim_link_params_default(&lp);
    if (mtu)
        lp.mtu = mtu;
    return sim_link_new(w, a, b, &lp);
}

static inline SimIface *eth0(SimNode *n)
{
    return sim_node_iface(n, 0);
}

/* ---- probe node ------------------------------------------------------------ */

/* A bare node that records every frame it receives (promiscuous) and sends
 * whatever a test builds: for injecting hand-made frames into a stack. */
typedef struct {
    SimNode *node;
    SimIface *nic;
    GPtrArray *frames; /* received, one reference each */
} Probe;

static inline void probe_input(SimNode *node, SimIface *in, SimPacket *pkt)
{
    Probe *p = sim_node_priv(node);
    g_ptr_array_add(p->frames, pkt);
}

static inline void probe_free(void *priv)
{
    Probe *p = priv;
    g_ptr_array_free(p->frames, TRUE);
    g_free(p);
}

static inline Probe *probe_new(SimWorld *w)
{
    static const SimNodeOps probe_ops = {.input = probe_input, .free_priv = probe_free};
    Probe *p = g_new0(Probe, 1);
    p->frames = g_ptr_array_new_with_free_func((GDestroyNotify)sim_packet_unref);
    p->node = sim_node_new(w, "probe", SIM_NODE_HOST, &probe_ops, p);
    SimMac mac = sim_mac_local(0xabcd);
    p->nic = sim_node_add_iface(p->node, "eth0", &mac);
    sim_iface_set_promisc(p->nic, true);
    return p;
}
