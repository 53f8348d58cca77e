/* frame_view.c - see frame_view.h. */
#include "sim/cli/frame_view.h"

#include "sim/net/dissect.h"

#include <string.h>

typedef struct {
    char *name;
    size_t offset, length;
    guint first_field, n_fields;
    gboolean quoted; /* a header quoted inside an ICMP error */
} Layer;

typedef struct {
    char *abbrev, *value;
} Field;

typedef struct {
    GArray *layers; /* Layer */
    GArray *fields; /* Field */
    const SimTcpStreams *tcp;
} Walk;

static void layer_clear(void *p)
{
    g_free(((Layer *)p)->name);
}

static void field_clear(void *p)
{
    Field *f = p;
    g_free(f->abbrev);
    g_free(f->value);
}

static void on_layer(void *user, const char *name, size_t offset, size_t length)
{
    Walk *w = user;
    Layer l = {g_strdup(name), offset, length, w->fields->len, 0, FALSE};
    /* The dissector reports a quoted header as a further ip/udp/tcp/icmp
     * layer lying inside an earlier ICMP layer; a payload (data) inside an
     * echo is not quoted, it is the echo's own data. */
    if (strcmp(name, "data") != 0)
        for (guint i = 0; i < w->layers->len; i++) {
            const Layer *o = &g_array_index(w->layers, Layer, i);
            if (strcmp(o->name, "icmp") == 0 && offset > o->offset &&
                offset < o->offset + o->length)
                l.quoted = TRUE;
        }
    g_array_append_val(w->layers, l);
}

static void on_field(void *user, const char *abbrev, const char *value, size_t offset,
                     size_t length)
{
    (void)offset;
    (void)length;
    Walk *w = user;
    if (w->layers->len == 0)
        return;
    Field f = {g_strdup(abbrev), g_strdup(value)};
    g_array_append_val(w->fields, f);
    g_array_index(w->layers, Layer, w->layers->len - 1).n_fields++;
}

static bool on_tcp_stream(void *user, const SimDissectTcpKey *key, SimDissectTcpStream *out)
{
    const Walk *w = user;
    return w->tcp && sim_tcp_streams_lookup(w->tcp, key, out);
}

static void walk_init(Walk *w, const uint8_t *frame, size_t len, const SimTcpStreams *tcp)
{
    w->tcp = tcp;
    w->layers = g_array_new(FALSE, FALSE, sizeof(Layer));
    g_array_set_clear_func(w->layers, layer_clear);
    w->fields = g_array_new(FALSE, FALSE, sizeof(Field));
    g_array_set_clear_func(w->fields, field_clear);
    static const SimDissectVisitor v = {on_layer, on_field, on_tcp_stream};
    sim_dissect_walk(frame, len, &v, w);
}

static void walk_clear(Walk *w)
{
    g_array_free(w->layers, TRUE);
    g_array_free(w->fields, TRUE);
}

const char *sim_frame_view_layer_title(const char *name)
{
    static const char *const titles[][2] = {
        {"eth", "Ethernet II"},
        {"vlan", "802.1Q Virtual LAN"},
        {"arp", "Address Resolution Protocol"},
        {"ip", "Internet Protocol Version 4"},
        {"icmp", "Internet Control Message Protocol"},
        {"udp", "User Datagram Protocol"},
        {"tcp", "Transmission Control Protocol"},
        {"dhcp", "Dynamic Host Configuration Protocol"},
        {"dns", "Domain Name System"},
        {"llc", "Logical-Link Control"},
        {"stp", "Spanning Tree Protocol"},
        {"data", "Data"},
        {"malformed", "Malformed Packet"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(titles); i++)
        if (strcmp(titles[i][0], name) == 0)
            return titles[i][1];
    return name;
}

/* Wireshark's names of the TCP fields (`tshark -G fields`), which its
 * packet details pane shows beside the values. */
static const char *field_label(const char *abbrev)
{
    static const char *const labels[][2] = {
        {"tcp.srcport", "Source Port"},
        {"tcp.dstport", "Destination Port"},
        {"tcp.seq", "Sequence Number"},
        {"tcp.seq_raw", "Sequence Number (raw)"},
        {"tcp.ack", "Acknowledgment Number"},
        {"tcp.ack_raw", "Acknowledgment number (raw)"},
        {"tcp.hdr_len", "Header Length"},
        {"tcp.flags", "Flags"},
        {"tcp.flags.cwr", "Congestion Window Reduced"},
        {"tcp.flags.ece", "ECN-Echo"},
        {"tcp.flags.urg", "Urgent"},
        {"tcp.flags.ack", "Acknowledgment"},
        {"tcp.flags.push", "Push"},
        {"tcp.flags.reset", "Reset"},
        {"tcp.flags.syn", "Syn"},
        {"tcp.flags.fin", "Fin"},
        {"tcp.window_size_value", "Window"},
        {"tcp.window_size", "Calculated window size"},
        {"tcp.window_size_scalefactor", "Window size scaling factor"},
        {"tcp.checksum", "Checksum"},
        {"tcp.checksum.status", "Checksum Status"},
        {"tcp.urgent_pointer", "Urgent Pointer"},
        {"tcp.options", "TCP Options"},
        {"tcp.options.mss_val", "MSS Value"},
        {"tcp.options.wscale.shift", "Shift count"},
        {"tcp.options.wscale.multiplier", "Multiplier"},
        {"tcp.len", "TCP Segment Len"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(labels); i++)
        if (strcmp(labels[i][0], abbrev) == 0)
            return labels[i][1];
    return NULL;
}

void sim_frame_view_layers(const uint8_t *frame, size_t len, const SimTcpStreams *tcp, GString *out)
{
    Walk w;
    walk_init(&w, frame, len, tcp);
    size_t width = 0;
    for (guint i = 0; i < w.fields->len; i++)
        width = MAX(width, strlen(g_array_index(w.fields, Field, i).abbrev));
    for (guint i = 0; i < w.layers->len; i++) {
        const Layer *l = &g_array_index(w.layers, Layer, i);
        const char *indent = l->quoted ? "  " : "";
        g_string_append_printf(out, "%s%s (%s), ", indent, sim_frame_view_layer_title(l->name),
                               l->name);
        if (l->length == 0)
            g_string_append_printf(out, "no bytes at %zu", l->offset);
        else if (l->length == 1)
            g_string_append_printf(out, "byte %zu", l->offset);
        else
            g_string_append_printf(out, "bytes %zu-%zu", l->offset, l->offset + l->length - 1);
        g_string_append(out, l->quoted ? ", quoted by the ICMP error\n" : "\n");
        for (guint j = 0; j < l->n_fields; j++) {
            const Field *f = &g_array_index(w.fields, Field, l->first_field + j);
            const char *label = field_label(f->abbrev);
            if (label)
                g_string_append_printf(out, "%s    %-*s  %-12s  %s\n", indent, (int)width,
                                       f->abbrev, f->value, label);
            else
                g_string_append_printf(out, "%s    %-*s  %s\n", indent, (int)width, f->abbrev,
                                       f->value);
        }
    }
    walk_clear(&w);
}

/* The name of the innermost layer holding byte `at`: the latest layer in
 * walk order whose range contains it (quoted headers come after the ICMP
 * layer that holds them). */
static const char *label_at(const Walk *w, size_t at, gboolean *quoted)
{
    for (guint i = w->layers->len; i-- > 0;) {
        const Layer *l = &g_array_index(w->layers, Layer, i);
        if (at >= l->offset && at < l->offset + l->length) {
            *quoted = l->quoted;
            return l->name;
        }
    }
    *quoted = FALSE;
    return "padding";
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* One row: bytes [from, to) of the 16-byte line starting at `base`. */
static void hex_row(const uint8_t *frame, size_t base, size_t from, size_t to, const char *label,
                    gboolean quoted, GString *out)
{
    g_string_append_printf(out, "%04zx  ", from);
    for (size_t i = 0; i < 16; i++) {
        size_t at = base + i;
        if (at >= from && at < to)
            g_string_append_printf(out, "%02x ", frame[at]);
        else
            g_string_append(out, "   ");
        if (i == 7)
            g_string_append_c(out, ' ');
    }
    g_string_append_c(out, ' ');
    for (size_t i = 0; i < 16; i++) {
        size_t at = base + i;
        char c = ' ';
        if (at >= from && at < to)
            c = g_ascii_isprint(frame[at]) ? (char)frame[at] : '.';
        g_string_append_c(out, c);
        if (i == 7)
            g_string_append_c(out, ' ');
    }
    g_string_append_printf(out, "  %s%s\n", label, quoted ? " (quoted)" : "");
}

void sim_frame_view_hex(const uint8_t *frame, size_t len, GString *out)
{
    if (len == 0)
        return;
    Walk w;
    walk_init(&w, frame, len, NULL);
    /* Cut points: every layer's start and end, clipped to the frame. */
    GArray *cuts = g_array_new(FALSE, FALSE, sizeof(size_t));
    size_t zero = 0;
    g_array_append_val(cuts, zero);
    g_array_append_val(cuts, len);
    for (guint i = 0; i < w.layers->len; i++) {
        const Layer *l = &g_array_index(w.layers, Layer, i);
        size_t a = MIN(l->offset, len), b = MIN(l->offset + l->length, len);
        g_array_append_val(cuts, a);
        g_array_append_val(cuts, b);
    }
    g_array_sort(cuts, cmp_size);
    for (guint i = 0; i + 1 < cuts->len; i++) {
        size_t from = g_array_index(cuts, size_t, i), to = g_array_index(cuts, size_t, i + 1);
        if (from == to)
            continue;
        gboolean quoted;
        const char *label = label_at(&w, from, &quoted);
        for (size_t at = from; at < to;) {
            size_t base = at - at % 16, end = MIN(to, base + 16);
            hex_row(frame, base, at, end, label, quoted, out);
            at = end;
        }
    }
    g_array_free(cuts, TRUE);
    walk_clear(&w);
}
