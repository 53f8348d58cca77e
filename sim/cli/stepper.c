/* stepper.c - see stepper.h. */
#include "sim/cli/stepper.h"
#include "viz/live.h"

#include "sim/cli/frame_view.h"
#include "sim/cli/sink_text.h"
#include "sim/cli/step_explain.h"
#include "sim/link/node.h"
#include "sim/net/dissect.h"
#include "sim/net/packet.h"
#include "sim/topo/diag.h"
#include "sim/topo/parser.h"
#include "sim/topo/scenario.h"
#include "sim/topo/validate.h"
#include "sim/link/network.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Spelled out rather than G_DEFINE_QUARK, whose argument clang-format
 * would split into "sim - stepper - ...". */
GQuark sim_stepper_error_quark(void)
{
    return g_quark_from_static_string("sim-stepper-error-quark");
}

/* Protocols `filter` knows: the layer names the dissector gives the frames
 * netsim builds. A protocol netsim does not model (dhcp, dns, ...) is not
 * here: a filter on it would silently hide every step. */
static const char *const protocols[] = {"eth", "vlan", "arp", "ip",  "icmp",
                                        "udp", "tcp",  "stp", "data"};

typedef enum { RUNNING, OVER_IDLE, OVER_MAX_EVENTS } Over;

struct _SimStepper {
    char *name, *text;
    gsize len;
    uint64_t seed, max_events;
    SimScenario *sc;
    SimWorld *w;
    guint sub;
    SimPacketPool *pool; /* copies of the frames of `cur` and `pending` */
    GArray *pending;     /* SimTraceRecord of the event being run (owned contents) */
    GArray *cur;         /* the records of the current step */
    GPtrArray *frames;   /* distinct frames of `cur` (borrowed from its records) */
    uint64_t pos;        /* steps completed */
    GArray *step_protos; /* guint32 per step (index pos - 1): protocol bits of its frames */
    guint32 filter;      /* bits over `protocols`; 0 = every step */
    SimTcpStreams *tcp;  /* connections seen so far, for `detail` */
    Over over;
    guint errors;
};

/* ---- collecting records -------------------------------------------------- */

static void record_clear(void *p)
{
    SimTraceRecord *r = p;
    g_free((char *)r->node);
    g_free((char *)r->iface);
    g_free((char *)r->detail);
    sim_packet_unref((SimPacket *)r->packet);
}

static void on_record(const SimTraceRecord *rec, void *user)
{
    SimStepper *st = user;
    SimTraceRecord copy = *rec;
    copy.node = g_strdup(rec->node);
    copy.iface = g_strdup(rec->iface);
    copy.detail = g_strdup(rec->detail);
    if (rec->packet) {
        size_t len = sim_packet_len(rec->packet);
        SimPacket *p = sim_packet_new(st->pool, 0, len);
        memcpy(sim_packet_data(p), sim_packet_cdata(rec->packet), len);
        sim_packet_set_uid(p, sim_packet_uid(rec->packet));
        copy.packet = p;
        sim_tcp_streams_observe(st->tcp, sim_packet_cdata(p), len);
    }
    g_array_append_val(st->pending, copy);
}

static gboolean build(SimStepper *st, FILE *warn_out, GError **error)
{
    g_autoptr(SimDiag) diag = sim_diag_new();
    g_autoptr(SimTopo) topo = sim_topo_parse_buffer(st->name, st->text, st->len, diag);
    if (topo)
        sim_topo_validate(topo, diag);
    if (!topo || sim_diag_has_errors(diag)) {
        g_autofree char *msg = sim_diag_render(diag);
        g_set_error_literal(error, SIM_STEPPER_ERROR, 0, msg);
        return FALSE;
    }
    if (warn_out && sim_diag_warnings(diag))
        sim_diag_print(diag, warn_out);
    st->sc = sim_scenario_new(g_steal_pointer(&topo), st->seed, error);
    if (!st->sc)
        return FALSE;
    st->w = sim_scenario_world(st->sc);
    st->sub = sim_trace_subscribe(sim_world_trace(st->w), SIM_TRACE_ALL, on_record, st);
    st->pos = 0;
    st->over = RUNNING;
    return TRUE;
}

static void teardown(SimStepper *st)
{
    g_ptr_array_set_size(st->frames, 0);
    g_array_set_size(st->cur, 0);
    g_array_set_size(st->pending, 0);
    if (st->sc) {
        sim_trace_unsubscribe(sim_world_trace(st->w), st->sub);
        sim_scenario_free(st->sc);
    }
    st->sc = NULL;
    st->w = NULL;
    sim_tcp_streams_clear(st->tcp);
}

SimStepper *sim_stepper_new(const char *name, const char *text, gsize len, uint64_t seed,
                            FILE *warn_out, GError **error)
{
    SimStepper *st = g_new0(SimStepper, 1);
    st->name = g_strdup(name);
    st->text = g_memdup2(text, len);
    st->len = len;
    st->seed = seed;
    st->max_events = SIM_STEPPER_MAX_EVENTS;
    st->pool = sim_packet_pool_new();
    st->tcp = sim_tcp_streams_new();
    st->pending = g_array_new(FALSE, FALSE, sizeof(SimTraceRecord));
    g_array_set_clear_func(st->pending, record_clear);
    st->cur = g_array_new(FALSE, FALSE, sizeof(SimTraceRecord));
    g_array_set_clear_func(st->cur, record_clear);
    st->frames = g_ptr_array_new();
    st->step_protos = g_array_new(FALSE, FALSE, sizeof(guint32));
    if (!build(st, warn_out, error)) {
        sim_stepper_free(st);
        return NULL;
    }
    return st;
}

void sim_stepper_free(SimStepper *st)
{
    if (!st)
        return;
    teardown(st);
    g_ptr_array_free(st->frames, TRUE);
    g_array_free(st->cur, TRUE);
    g_array_free(st->pending, TRUE);
    g_array_free(st->step_protos, TRUE);
    sim_packet_pool_free(st->pool);
    sim_tcp_streams_free(st->tcp);
    g_free(st->name);
    g_free(st->text);
    g_free(st);
}

void sim_stepper_set_max_events(SimStepper *st, uint64_t max_events)
{
    st->max_events = max_events;
}

uint64_t sim_stepper_position(const SimStepper *st)
{
    return st->pos;
}

guint sim_stepper_errors(const SimStepper *st)
{
    return st->errors;
}

SimWorld *sim_stepper_world(const SimStepper *st)
{
    return st->w;
}

/* ---- advancing ---------------------------------------------------------- */

static bool is_step(const GArray *recs)
{
    for (guint i = 0; i < recs->len; i++) {
        const SimTraceRecord *r = &g_array_index(recs, SimTraceRecord, i);
        if (r->packet || r->kind == SIM_TR_APP || r->kind == SIM_TR_SHOW)
            return true;
    }
    return false;
}

/* Frames of the step, each distinct byte sequence once, in record order. */
static void collect_frames(SimStepper *st)
{
    g_ptr_array_set_size(st->frames, 0);
    for (guint i = 0; i < st->cur->len; i++) {
        const SimPacket *p = g_array_index(st->cur, SimTraceRecord, i).packet;
        bool seen = !p;
        for (guint j = 0; j < st->frames->len && !seen; j++) {
            const SimPacket *q = g_ptr_array_index(st->frames, j);
            seen = sim_packet_uid(p) == sim_packet_uid(q) &&
                   sim_packet_len(p) == sim_packet_len(q) &&
                   memcmp(sim_packet_cdata(p), sim_packet_cdata(q), sim_packet_len(p)) == 0;
        }
        if (!seen)
            g_ptr_array_add(st->frames, (void *)p);
    }
}

static guint32 frame_protocols(const SimPacket *p);

/* Remembers the protocols of step st->pos the first time it is reached
 * (a replay reaches the same steps: runs are deterministic), so that `back`
 * can count the steps a filter shows without replaying twice. */
static void note_step_protocols(SimStepper *st)
{
    if (st->pos <= st->step_protos->len)
        return;
    guint32 bits = 0;
    for (guint i = 0; i < st->frames->len; i++)
        bits |= frame_protocols(g_ptr_array_index(st->frames, i));
    g_array_append_val(st->step_protos, bits);
}

/* Runs events until one makes a step; false when the simulation is over. */
static bool advance(SimStepper *st)
{
    while (st->over == RUNNING) {
        if (st->max_events && sim_world_events(st->w) >= st->max_events) {
            st->over = OVER_MAX_EVENTS;
            break;
        }
        g_array_set_size(st->pending, 0);
        if (!sim_world_step(st->w)) {
            st->over = OVER_IDLE;
            break;
        }
        if (is_step(st->pending)) {
            GArray *t = st->cur;
            st->cur = st->pending;
            st->pending = t;
            g_array_set_size(st->pending, 0);
            collect_frames(st);
            st->pos++;
            note_step_protocols(st);
            return true;
        }
    }
    g_array_set_size(st->pending, 0);
    return false;
}

static const SimTraceRecord *cur_first(const SimStepper *st)
{
    return st->cur->len ? &g_array_index(st->cur, SimTraceRecord, 0) : NULL;
}

static SimTime cur_time(const SimStepper *st)
{
    const SimTraceRecord *r = cur_first(st);
    return r ? r->time : 0;
}

static void on_layer_bit(void *user, const char *name, size_t offset, size_t length)
{
    (void)offset;
    (void)length;
    for (size_t i = 0; i < G_N_ELEMENTS(protocols); i++)
        if (strcmp(name, protocols[i]) == 0)
            *(guint32 *)user |= 1u << i;
}

static guint32 frame_protocols(const SimPacket *p)
{
    guint32 seen = 0;
    static const SimDissectVisitor v = {on_layer_bit, NULL, NULL};
    sim_dissect_walk(sim_packet_cdata(p), sim_packet_len(p), &v, &seen);
    return seen;
}

/* Whether the filter shows step k (1 = the first step; k <= st->pos). */
static bool step_passes(const SimStepper *st, uint64_t k)
{
    return !st->filter || (g_array_index(st->step_protos, guint32, k - 1) & st->filter);
}

static bool passes_filter(const SimStepper *st)
{
    return step_passes(st, st->pos);
}

/* Rebuilds the world from the text (same seed) and replays `target` steps
 * without printing anything. */
static bool replay_to(SimStepper *st, uint64_t target, GString *out)
{
    teardown(st);
    g_autoptr(GError) err = NULL;
    if (!build(st, NULL, &err)) {
        g_string_append_printf(out, _("error: cannot rebuild the scenario: %s\n"), err->message);
        st->errors++;
        return false;
    }
    while (st->pos < target && advance(st))
        ;
    return st->pos == target;
}

/* ---- printing ------------------------------------------------------------ */

static void append_time(GString *out, SimTime t)
{
    char buf[SIM_TIME_STRLEN];
    g_string_append(out, sim_time_format_sec(t, buf));
}

static void print_step(SimStepper *st, GString *out)
{
    const SimTraceRecord *first = cur_first(st);
    g_string_append_printf(out, _("step %llu · event %llu · t="), (unsigned long long)st->pos,
                           (unsigned long long)first->event);
    append_time(out, first->time);
    g_string_append(out, " s\n");
    GHashTable *labels = sim_node_label_table(st->w);
    for (guint i = 0; i < st->cur->len; i++) {
        sim_text_sink_format_labelled(&g_array_index(st->cur, SimTraceRecord, i), labels, out);
        g_string_append_c(out, '\n');
    }
    if (labels)
        g_hash_table_unref(labels);
    sim_step_explain((const SimTraceRecord *)(void *)st->cur->data, st->cur->len, st->w, "  ⇒ ",
                     out);
    if (st->frames->len > 1) {
        g_string_append(out, _("  frames:"));
        for (guint i = 0; i < st->frames->len; i++) {
            const SimPacket *p = g_ptr_array_index(st->frames, i);
            char sum[SIM_DISSECT_SUMMARY_LEN];
            sim_dissect_summary(sim_packet_cdata(p), sim_packet_len(p), sum, sizeof sum);
            g_string_append_printf(out, "%s [%u] %s", i ? "," : "", i + 1, sum);
        }
        g_string_append(out, _(" (detail N, hex N)\n"));
    }
}

static void show_step(SimStepper *st, GString *out)
{
    print_step(st, out);
}

/* What `until` and `continue` print for the steps they pass: what `run
 * --quiet` prints (application output, tables, storm reports). */
static void print_quiet(const SimStepper *st, GString *out)
{
    for (guint i = 0; i < st->cur->len; i++) {
        const SimTraceRecord *r = &g_array_index(st->cur, SimTraceRecord, i);
        if (r->kind == SIM_TR_APP || r->kind == SIM_TR_SHOW || r->kind == SIM_TR_STORM) {
            sim_text_sink_format(r, out);
            g_string_append_c(out, '\n');
        }
    }
}

static void print_over(const SimStepper *st, GString *out)
{
    g_string_append(out, st->over == OVER_IDLE
                             ? _("the simulation is over: no events left")
                             : _("stopped: the event limit (--max-events) was reached"));
    g_string_append_printf(out, _(" after %llu events at t="),
                           (unsigned long long)sim_world_events(st->w));
    append_time(out, sim_world_now(st->w));
    g_string_append_printf(out, _(" s (step %llu)\n"), (unsigned long long)st->pos);
}

static void print_filter(const SimStepper *st, GString *out)
{
    if (!st->filter) {
        g_string_append(out, "all");
        return;
    }
    bool first = true;
    for (size_t i = 0; i < G_N_ELEMENTS(protocols); i++)
        if (st->filter & (1u << i)) {
            g_string_append_printf(out, "%s%s", first ? "" : ",", protocols[i]);
            first = false;
        }
}

void sim_stepper_intro(SimStepper *st, GString *out)
{
    const SimTopo *topo = sim_scenario_topo(st->sc);
    g_string_append_printf(out, "netsim step: %s", st->name);
    if (topo->title)
        g_string_append_printf(out, " \"%s\"", topo->title);
    guint nodes = sim_network_n_nodes(sim_network_of(st->w)),
          links = sim_network_n_links(sim_network_of(st->w));
    g_string_append_printf(out, g_dngettext(GETTEXT_PACKAGE, ", %u node", ", %u nodes", nodes),
                           nodes);
    g_string_append_printf(out, g_dngettext(GETTEXT_PACKAGE, ", %u link", ", %u links", links),
                           links);
    g_string_append_printf(
        out, _(", seed %llu\nEnter or n: next step; help: all commands; quit: leave.\n"),
        (unsigned long long)st->seed);
}

void sim_stepper_prompt(const SimStepper *st, GString *out)
{
    (void)st;
    g_string_append(out, "(netsim) ");
}

/* ---- commands ----------------------------------------------------------- */

static void fail(SimStepper *st, GString *out, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static void fail(SimStepper *st, GString *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_string_append(out, _("error: "));
    g_string_append_vprintf(out, fmt, ap);
    g_string_append_c(out, '\n');
    va_end(ap);
    st->errors++;
}

/* A count argument: absent -> dflt; else a whole number >= 1. */
static bool parse_count(SimStepper *st, GString *out, const char *cmd, const char *arg,
                        uint64_t dflt, uint64_t *n)
{
    if (!arg) {
        *n = dflt;
        return true;
    }
    char *end;
    errno = 0;
    unsigned long long v = strtoull(arg, &end, 10);
    if (!*arg || *end || errno || arg[0] == '-' || v == 0) {
        fail(st, out, _("%s expects a number of steps (1 or more), not '%s'"), cmd, arg);
        return false;
    }
    *n = v;
    return true;
}

static void cmd_next(SimStepper *st, uint64_t n, GString *out)
{
    for (uint64_t shown = 0; shown < n;) {
        if (!advance(st)) {
            print_over(st, out);
            return;
        }
        if (passes_filter(st)) {
            show_step(st, out);
            shown++;
        }
    }
}

static void cmd_until(SimStepper *st, const char *arg, GString *out)
{
    SimTime t;
    g_autoptr(GError) err = NULL;
    if (!arg || !sim_time_parse(arg, &t, &err)) {
        fail(st, out, _("until expects a time such as 2s or 1.5ms%s%s"), err ? ": " : "",
             err ? err->message : "");
        return;
    }
    /* An earlier instant: replay silently from the start. */
    bool backwards = st->pos > 0 && cur_time(st) >= t;
    if (backwards && !replay_to(st, 0, out))
        return;
    while (advance(st)) {
        if (cur_time(st) >= t && passes_filter(st)) {
            show_step(st, out);
            return;
        }
        if (!backwards)
            print_quiet(st, out);
    }
    print_over(st, out);
}

static void cmd_continue(SimStepper *st, GString *out)
{
    while (advance(st))
        print_quiet(st, out);
    print_over(st, out);
}

/* The n-th step before the current one that the filter shows, wherever
 * the user got to it from (next, until forwards or backwards, continue,
 * back); none left: the start. Rejected: a history of the steps printed,
 * which `until` and `continue` skip and an earlier `until` reorders. */
static void cmd_back(SimStepper *st, uint64_t n, GString *out)
{
    uint64_t target = st->pos;
    for (uint64_t left = n; left > 0 && target > 0;) {
        target--;
        if (target > 0 && step_passes(st, target))
            left--;
    }
    if (!replay_to(st, target, out))
        return;
    if (target == 0)
        g_string_append(out, _("at the start: no event has run yet (t=0)\n"));
    else
        show_step(st, out);
}

/* The frame `arg` (1-based, default 1) of the current step, or NULL. */
static const SimPacket *pick_frame(SimStepper *st, const char *cmd, const char *arg, GString *out,
                                   guint *index)
{
    /* By default the first frame the filter asks for, else the first. */
    uint64_t dflt = 1;
    for (guint f = 0; st->filter && f < st->frames->len; f++)
        if (frame_protocols(g_ptr_array_index(st->frames, f)) & st->filter) {
            dflt = f + 1;
            break;
        }
    uint64_t i;
    if (!parse_count(st, out, cmd, arg, dflt, &i))
        return NULL;
    if (st->frames->len == 0) {
        fail(st, out, _("%s: the current step carries no frame%s"), cmd,
             st->pos ? "" : " (no step yet: press Enter)");
        return NULL;
    }
    if (i > st->frames->len) {
        fail(st, out, _("%s: this step has %u frame%s"), cmd, st->frames->len,
             st->frames->len == 1 ? "" : "s");
        return NULL;
    }
    *index = (guint)i;
    return g_ptr_array_index(st->frames, i - 1);
}

static void frame_heading(const SimStepper *st, const SimPacket *p, guint index, GString *out)
{
    char sum[SIM_DISSECT_SUMMARY_LEN];
    sim_dissect_summary(sim_packet_cdata(p), sim_packet_len(p), sum, sizeof sum);
    g_string_append_printf(out, "frame %u of %u (uid %" G_GUINT64_FORMAT "), %zu bytes: %s\n",
                           index, st->frames->len, sim_packet_uid(p), sim_packet_len(p), sum);
}

static void cmd_detail(SimStepper *st, const char *arg, bool hex, GString *out)
{
    guint index = 0;
    const SimPacket *p = pick_frame(st, hex ? "hex" : "detail", arg, out, &index);
    if (!p)
        return;
    frame_heading(st, p, index, out);
    if (hex)
        sim_frame_view_hex(sim_packet_cdata(p), sim_packet_len(p), out);
    else
        sim_frame_view_layers(sim_packet_cdata(p), sim_packet_len(p), st->tcp, out);
}

static void cmd_show(SimStepper *st, char **args, guint n, GString *out)
{
    bool cisco = n == 3 && strcmp(args[1], "route") == 0 && strcmp(args[2], "cisco") == 0;
    bool cache = n == 3 && strcmp(args[1], "route") == 0 && strcmp(args[2], "cache") == 0;
    if (n != 2 && !cisco && !cache) {
        fail(st, out,
             _("usage: show NODE mac|arp|route [cisco|cache]|interfaces|vlan|sockets|nat|dhcp|"
               "spanning-tree|dns-cache|zone"));
        return;
    }
    /* `route cache` is the one two-word table. */
    g_autofree char *table = cisco ? g_strdup("route") : g_strjoinv(" ", args + 1);
    SimNode *node = sim_network_find_node(sim_network_of(st->w), args[0]);
    if (!node) {
        g_autoptr(GPtrArray) names = g_ptr_array_new();
        for (guint i = 0; i < sim_network_n_nodes(sim_network_of(st->w)); i++)
            g_ptr_array_add(names,
                            (void *)sim_node_name(sim_network_node(sim_network_of(st->w), i)));
        const char *near = sim_diag_suggest_array(args[0], names);
        fail(st, out, _("show: unknown node '%s'%s%s%s"), args[0], near ? " (did you mean '" : "",
             near ? near : "", near ? "'?)" : "");
        return;
    }
    for (SimTopoTable t = SIM_TOPO_TABLE_MAC; t <= SIM_TOPO_TABLE_LAST; t++) {
        if (strcmp(table, sim_topo_table_name(t)) != 0)
            continue;
        g_string_append_printf(out, "%s# show %s %s\n", args[0], args[0],
                               cisco ? "route cisco" : table);
        if (!sim_scenario_show_style(st->sc, node, t, cisco, out))
            g_string_append_printf(out, "(%s is a %s: it has no %s table)", args[0],
                                   sim_node_kind_name(sim_node_kind(node)), table);
        if (out->len && out->str[out->len - 1] != '\n')
            g_string_append_c(out, '\n');
        return;
    }
    fail(st, out,
         _("show: unknown table '%s' (mac, arp, route, route cache, interfaces, vlan, sockets, "
           "nat, dhcp, spanning-tree, dns-cache or zone)"),
         table);
}

/* protocols[] as a NULL-terminated vector, for g_strjoinv. */
static const char *const *protocols_v(void)
{
    static const char *v[G_N_ELEMENTS(protocols) + 1];
    for (size_t i = 0; i < G_N_ELEMENTS(protocols); i++)
        v[i] = protocols[i];
    return v;
}

static void cmd_filter(SimStepper *st, char **args, guint n, GString *out)
{
    g_autofree char *joined = g_strjoinv(",", args);
    g_auto(GStrv) names = g_strsplit(joined, ",", -1);
    guint32 mask = 0;
    bool all = n == 0;
    for (char **p = names; *p; p++) {
        if (!**p)
            continue;
        if (strcmp(*p, "all") == 0 || strcmp(*p, "none") == 0 || strcmp(*p, "off") == 0) {
            all = true;
            continue;
        }
        size_t i = 0;
        while (i < G_N_ELEMENTS(protocols) && strcmp(*p, protocols[i]) != 0)
            i++;
        if (i == G_N_ELEMENTS(protocols)) {
            const char *near = sim_diag_suggest(*p, protocols, G_N_ELEMENTS(protocols));
            g_autofree char *known = g_strjoinv(", ", (char **)protocols_v());
            if (near)
                fail(st, out,
                     _("filter: unknown protocol '%s' (did you mean '%s'?); netsim models %s "
                       "(or: all)"),
                     *p, near, known);
            else
                fail(st, out, _("filter: netsim does not model '%s'; it models %s (or: all)"), *p,
                     known);
            return;
        }
        mask |= 1u << i;
    }
    st->filter = all ? 0 : mask;
    g_string_append(out, "filter: ");
    print_filter(st, out);
    g_string_append(out, st->filter ? " (other steps run but are not shown)\n"
                                    : " (every step is shown)\n");
}

static void cmd_where(SimStepper *st, GString *out)
{
    g_string_append_printf(out, "seed %" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT " events run, t=",
                           st->seed, sim_world_events(st->w));
    append_time(out, sim_world_now(st->w));
    g_string_append(out, " s, filter ");
    print_filter(st, out);
    g_string_append_c(out, '\n');
    if (st->over != RUNNING)
        print_over(st, out);
    if (st->pos == 0)
        g_string_append(out, _("at the start: no event has run yet\n"));
    else
        print_step(st, out);
}

/* The diagram as of the current step, with every device's tables: the
 * stepper's view of "where is everything now" for a projector. */
static void cmd_dot(SimStepper *st, char **args, guint n, GString *out)
{
    if (n != 1) {
        fail(st, out, _("usage: dot FILE.png|FILE.svg|FILE.dot"));
        return;
    }
    g_autofree char *caption = g_strdup_printf("step %llu", (unsigned long long)st->pos);
    SimVizOptions opts = {.caption = caption};
    g_autoptr(GError) err = NULL;
    if (!sim_viz_write_live(st->sc, &opts, args[0], &err)) {
        fail(st, out, _("dot: %s"), err->message);
        return;
    }
    g_string_append_printf(out, _("wrote %s (tables as of step %llu)\n"), args[0],
                           (unsigned long long)st->pos);
}

static const char help_text[] =
    N_("Commands (a step is one event that touched a frame or printed output):\n"
       "  n, next [N]        the next N steps (default 1); an empty line is `next`\n"
       "  u, until T         run to the first step at or after time T (2s, 1.5ms, 300us)\n"
       "  c, continue        run to the end, printing only application output\n"
       "  b, back [N]        go back N steps from here, counting those the filter shows\n"
       "                     (re-runs the simulation to there)\n"
       "  d, detail [F]      frame F of the step, layer by layer, with Wireshark's field names\n"
       "                     (default: the first frame, or the first the filter shows)\n"
       "  x, hex [F]         frame F as hex and ASCII, a new row at each layer\n"
       "  show NODE TABLE    TABLE is mac, arp, route, route cisco, route cache,\n"
       "                     interfaces, vlan, sockets, nat, dhcp, spanning-tree,\n"
       "                     dns-cache or zone, as it stands now\n"
       "  dot FILE           draw the network with every table as it stands now\n"
       "                     (FILE.png, FILE.svg or FILE.dot)\n"
       "  f, filter P,...    show only steps whose frames hold one of these protocols:\n"
       "                     eth vlan arp ip icmp udp tcp stp data (what netsim models);\n"
       "                     `filter all` shows every step\n"
       "  w, where           the time, the event count and the current step again\n"
       "  h, help            this list\n"
       "  q, quit            leave (so does end of input)\n"
       "In a terminal, the arrow keys edit the line and recall earlier commands.\n");

/* Commands taking (st, args after the name, their count, out). */
typedef void (*CmdFn)(SimStepper *st, char **args, guint n, GString *out);

static void do_next(SimStepper *st, char **a, guint n, GString *out)
{
    uint64_t count;
    if (parse_count(st, out, "next", n ? a[0] : NULL, 1, &count))
        cmd_next(st, count, out);
}

static void do_until(SimStepper *st, char **a, guint n, GString *out)
{
    cmd_until(st, n ? a[0] : NULL, out);
}

static void do_continue(SimStepper *st, char **a, guint n, GString *out)
{
    (void)a;
    (void)n;
    cmd_continue(st, out);
}

static void do_back(SimStepper *st, char **a, guint n, GString *out)
{
    uint64_t count;
    if (parse_count(st, out, "back", n ? a[0] : NULL, 1, &count))
        cmd_back(st, count, out);
}

static void do_detail(SimStepper *st, char **a, guint n, GString *out)
{
    cmd_detail(st, n ? a[0] : NULL, false, out);
}

static void do_hex(SimStepper *st, char **a, guint n, GString *out)
{
    cmd_detail(st, n ? a[0] : NULL, true, out);
}

static void do_where(SimStepper *st, char **a, guint n, GString *out)
{
    (void)a;
    (void)n;
    cmd_where(st, out);
}

static void do_help(SimStepper *st, char **a, guint n, GString *out)
{
    (void)st;
    (void)a;
    (void)n;
    g_string_append(out, _(help_text));
}

static const struct {
    const char *name, *alias;
    guint max_args;
    CmdFn fn;
} commands[] = {
    {"next", "n", 1, do_next},           {"until", "u", 1, do_until},
    {"continue", "c", 0, do_continue},   {"back", "b", 1, do_back},
    {"detail", "d", 1, do_detail},       {"hex", "x", 1, do_hex},
    {"show", NULL, G_MAXUINT, cmd_show}, {"filter", "f", G_MAXUINT, cmd_filter},
    {"where", "w", 0, do_where},         {"help", "h", G_MAXUINT, do_help},
    {"dot", NULL, G_MAXUINT, cmd_dot},   {"quit", "q", G_MAXUINT, NULL},
    {"exit", NULL, G_MAXUINT, NULL},
};

gboolean sim_stepper_exec(SimStepper *st, const char *line, GString *out)
{
    g_auto(GStrv) words = g_strsplit_set(line, " \t\r\n", -1);
    g_autoptr(GPtrArray) args = g_ptr_array_new();
    for (char **w = words; *w; w++)
        if (**w)
            g_ptr_array_add(args, *w);
    guint n = args->len;
    g_ptr_array_add(args, NULL);
    char **a = (char **)args->pdata;
    const char *name = n ? a[0] : "next"; /* Enter: the next step */
    if (!st->sc) { /* a rebuild failed (it cannot, from text that built once) */
        fail(st, out, _("the scenario could not be rebuilt; quit and start again"));
        return strcmp(name, "quit") != 0 && strcmp(name, "q") != 0;
    }
    if (!strcmp(name, "?"))
        name = "help";
    for (size_t i = 0; i < G_N_ELEMENTS(commands); i++) {
        if (strcmp(name, commands[i].name) != 0 && g_strcmp0(name, commands[i].alias) != 0)
            continue;
        if (!commands[i].fn)
            return FALSE;
        guint nargs = n ? n - 1 : 0;
        if (nargs > commands[i].max_args)
            fail(st, out, _("%s: too many arguments (help lists the commands)"), commands[i].name);
        else
            commands[i].fn(st, a + 1, nargs, out);
        return TRUE;
    }
    fail(st, out, _("unknown command '%s' (help lists the commands)"), name);
    return TRUE;
}
