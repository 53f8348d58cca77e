/* upload.c - file upload server and client; see upload.h. */
#include "sim/apps/upload.h"

#include "sim/apps/appio.h"
#include "sim/l3/ipstack.h"
#include "sim/l4/tcp.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

const char *sim_upload_name_problem(const char *name)
{
    if (name[0] == '\0')
        return "empty name";
    if (strlen(name) > SIM_UPLOAD_NAME_MAX)
        return "name longer than 255 bytes";
    if (strchr(name, '/') || strchr(name, '\\'))
        return "name contains a path separator";
    if (strstr(name, ".."))
        return "name contains '..'";
    if (name[0] == '.')
        return "name starts with '.'";
    for (const char *p = name; *p; p++)
        if ((guchar)*p < 0x20 || *p == 0x7f)
            return "name contains a control character";
    if (!g_utf8_validate(name, -1, NULL))
        return "name is not UTF-8";
    return NULL;
}

/* 1048576 -> "1,048,576" */
static void commas(char *buf, size_t n, uint64_t v)
{
    char d[32];
    int len = g_snprintf(d, sizeof d, "%" G_GUINT64_FORMAT, v), o = 0;
    for (int i = 0; i < len && (size_t)o + 2 < n; i++) {
        if (i && (len - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = d[i];
    }
    buf[o] = '\0';
}

/* ---- server ------------------------------------------------------------------- */

typedef struct {
    SimNode *node;
    char *dir;
    bool overwrite;
    GHashTable *conns; /* Conn* still held (freed with the service) */
} Service;

typedef struct {
    Service *svc;
    SimTcpPcb *pcb; /* NULL once given up */
    GString *header;
    bool have_header, answered;
    char *name, want_sha[65];
    uint64_t size, got;
    guint decile; /* progress lines printed */
    GChecksum *sha;
    FILE *tmp;
    char *tmp_path;
    SimTime start;
} Conn;

static void conn_drop_tmp(Conn *c)
{
    if (c->tmp)
        fclose(c->tmp);
    c->tmp = NULL;
    if (c->tmp_path)
        g_unlink(c->tmp_path);
    g_clear_pointer(&c->tmp_path, g_free);
}

static void conn_free(Conn *c)
{
    if (c->svc->conns)
        g_hash_table_remove(c->svc->conns, c);
    conn_drop_tmp(c);
    g_string_free(c->header, TRUE);
    g_free(c->name);
    if (c->sha)
        g_checksum_free(c->sha);
    g_free(c);
}

/* Answers one line and closes; a failure is printed and fails the run. */
static void conn_finish(Conn *c, bool ok, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static void conn_finish(Conn *c, bool ok, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (!ok) {
        conn_drop_tmp(c);
        sim_app_line(c->svc->node, "upload: %s", msg);
        sim_world_set_failed(sim_node_world(c->svc->node));
    }
    g_autofree char *line = g_strdup_printf("%s %s\n", ok ? "OK" : "ERR", msg);
    sim_tcp_send(c->pcb, (const uint8_t *)line, strlen(line));
    c->answered = true;
    sim_tcp_close(c->pcb); /* RST if the client is still sending: as Linux */
    c->pcb = NULL;
}

static bool parse_header(Conn *c, const char *h)
{
    g_auto(GStrv) f = g_strsplit(h, " ", 4);
    if (g_strv_length(f) != 4 || strcmp(f[0], "UPLOAD") != 0) {
        conn_finish(c, false, "bad header");
        return false;
    }
    char *end;
    errno = 0;
    c->size = g_ascii_strtoull(f[1], &end, 10);
    if (*end || end == f[1] || errno || strlen(f[2]) != 64) {
        conn_finish(c, false, "bad header");
        return false;
    }
    for (int i = 0; i < 64; i++) {
        if (!g_ascii_isxdigit(f[2][i])) {
            conn_finish(c, false, "bad header");
            return false;
        }
    }
    g_strlcpy(c->want_sha, f[2], sizeof c->want_sha);
    c->name = g_strdup(f[3]);
    const char *why = sim_upload_name_problem(c->name);
    if (why) {
        conn_finish(c, false, "refused name '%s': %s", c->name, why);
        return false;
    }
    c->sha = g_checksum_new(G_CHECKSUM_SHA256);
    Service *s = c->svc;
    if (!s->dir)
        return true;
    g_autofree char *final = g_build_filename(s->dir, c->name, NULL);
    if (!s->overwrite && g_file_test(final, G_FILE_TEST_EXISTS)) {
        conn_finish(c, false, "refused %s: it exists (netsim run --overwrite replaces it)",
                    c->name);
        return false;
    }
    c->tmp_path = g_build_filename(s->dir, ".upload-XXXXXX", NULL);
    int fd = g_mkstemp_full(c->tmp_path, O_WRONLY, 0644);
    if (fd < 0 || !(c->tmp = fdopen(fd, "wb"))) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        g_free(c->tmp_path);
        c->tmp_path = NULL;
        conn_finish(c, false, "cannot write in %s: %s", s->dir, g_strerror(e));
        return false;
    }
    return true;
}

static void body_done(Conn *c)
{
    const char *got = g_checksum_get_string(c->sha);
    SimTime dt = sim_world_now(sim_node_world(c->svc->node)) - c->start;
    char n[40];
    commas(n, sizeof n, c->size);
    if (g_ascii_strcasecmp(got, c->want_sha) != 0) {
        conn_finish(c, false, "%s: SHA-256 mismatch (got %s), not saved", c->name, got);
        return;
    }
    Service *s = c->svc;
    if (c->tmp) {
        g_autofree char *final = g_build_filename(s->dir, c->name, NULL);
        int e = 0;
        if (fflush(c->tmp) != 0 || fsync(fileno(c->tmp)) != 0)
            e = errno;
        if (fclose(c->tmp) != 0 && !e)
            e = errno;
        c->tmp = NULL;
        if (!e && !s->overwrite && g_file_test(final, G_FILE_TEST_EXISTS))
            e = EEXIST;
        if (!e && g_rename(c->tmp_path, final) != 0)
            e = errno;
        if (e) {
            conn_finish(c, false, "cannot save %s: %s", final, g_strerror(e));
            return;
        }
        g_clear_pointer(&c->tmp_path, g_free);
    }
    double sec = (double)dt / SIM_SEC;
    sim_app_line(s->node, "%s %s (%s bytes, sha256 ok) in %.2f s simulated, %.1f Mb/s",
                 s->dir ? "saved" : "verified", c->name, n, sec,
                 sec > 0 ? (double)c->size * 8 / sec / 1e6 : 0.0);
    conn_finish(c, true, s->dir ? "saved" : "verified");
}

static void body_feed(Conn *c, const uint8_t *data, size_t len)
{
    size_t n = (size_t)MIN((uint64_t)len, c->size - c->got);
    g_checksum_update(c->sha, data, (gssize)n);
    if (c->tmp && fwrite(data, 1, n, c->tmp) != n) {
        conn_finish(c, false, "cannot write %s in %s: %s", c->name, c->svc->dir, g_strerror(errno));
        return;
    }
    c->got += n;
    guint dec = c->size ? (guint)(c->got * 10 / c->size) : 10;
    for (; c->decile < dec && c->decile < 10; c->decile++) {
        char a[40], b[40];
        commas(a, sizeof a, c->got);
        commas(b, sizeof b, c->size);
        SIM_TRACE(sim_node_world(c->svc->node), SIM_TR_INFO, SIM_DROP_NONE,
                  sim_node_name(c->svc->node), NULL, NULL, "upload %s: %u%% (%s of %s bytes)",
                  c->name, (c->decile + 1) * 10, a, b);
    }
    if (c->got == c->size)
        body_done(c);
    else if (n < len)
        conn_finish(c, false, "%s: more bytes than the header said", c->name);
}

static void conn_recv(void *user, SimTcpPcb *pcb, const uint8_t *data, size_t len)
{
    Conn *c = user;
    if (len == 0) { /* the client half-closed */
        if (!c->answered) {
            char a[40], b[40];
            commas(a, sizeof a, c->got);
            commas(b, sizeof b, c->size);
            if (c->have_header)
                conn_finish(c, false, "%s: connection closed after %s of %s bytes, not saved",
                            c->name, a, b);
            else
                conn_finish(c, false, "connection closed before a header");
        }
        if (c->pcb)
            sim_tcp_close(pcb);
        conn_free(c);
        return;
    }
    sim_tcp_recved(pcb, len);
    if (c->answered)
        return;
    while (!c->have_header && len) {
        const uint8_t *nl = memchr(data, '\n', len);
        size_t take = nl ? (size_t)(nl - data) : len;
        g_string_append_len(c->header, (const char *)data, (gssize)take);
        if (c->header->len > SIM_UPLOAD_HEADER_MAX) {
            conn_finish(c, false, "header longer than %d bytes", SIM_UPLOAD_HEADER_MAX);
            return;
        }
        if (!nl)
            return;
        data += take + 1;
        len -= take + 1;
        c->have_header = true;
        if (!parse_header(c, c->header->str))
            return;
        if (c->size == 0) {
            body_done(c);
            return;
        }
    }
    if (len)
        body_feed(c, data, len);
}

static void conn_error(void *user, SimTcpPcb *pcb, SimTcpErr err)
{
    Conn *c = user;
    if (!c->answered) {
        char a[40];
        commas(a, sizeof a, c->got);
        sim_app_line(c->svc->node, "upload: %s after %s bytes, not saved", sim_tcp_err_name(err),
                     a);
        sim_world_set_failed(sim_node_world(c->svc->node));
    }
    conn_free(c);
}

static void svc_accept(void *user, SimTcpPcb *listener, SimTcpPcb *pcb)
{
    Conn *c = g_new0(Conn, 1);
    c->svc = user;
    c->pcb = pcb;
    c->header = g_string_new(NULL);
    c->start = sim_world_now(sim_node_world(c->svc->node));
    g_hash_table_add(c->svc->conns, c);
    SimTcpCallbacks cb = {.recv = conn_recv, .error = conn_error};
    sim_tcp_set_callbacks(pcb, &cb, c);
}

static void svc_free(void *p)
{
    Service *s = p;
    /* Uploads cut off for good: their temporary files go with them. */
    GHashTable *t = g_steal_pointer(&s->conns);
    GList *keys = g_hash_table_get_keys(t);
    for (GList *k = keys; k; k = k->next)
        conn_free(k->data);
    g_list_free(keys);
    g_hash_table_unref(t);
    g_free(s->dir);
    g_free(s);
}

gboolean sim_upload_service_start(SimNode *node, uint16_t port, const SimUploadOut *out,
                                  GError **error)
{
    SimIpStack *st = sim_app_stack(node, error);
    if (!st)
        return FALSE;
    Service *s = g_new0(Service, 1);
    s->node = node;
    s->dir = g_strdup(out ? out->dir : NULL);
    s->overwrite = out && out->overwrite;
    s->conns = g_hash_table_new(NULL, NULL);
    SimTcpCallbacks cb = {.accept = svc_accept};
    if (!sim_app_listen(node, port, 128, &cb, s, error)) {
        svc_free(s);
        return FALSE;
    }
    sim_ip_stack_adopt(st, s, svc_free);
    return TRUE;
}

/* ---- client -------------------------------------------------------------------- */

typedef struct {
    SimNode *node;
    GBytes *data;
    GString *header, *answer;
    size_t hsent, dsent;
    bool done;
    char dst[32];
    char *name;
} Client;

static void client_fill(Client *c, SimTcpPcb *pcb)
{
    while (c->hsent < c->header->len) {
        size_t n = sim_tcp_send(pcb, (const uint8_t *)c->header->str + c->hsent,
                                c->header->len - c->hsent);
        c->hsent += n;
        if (!n)
            return;
    }
    gsize len;
    const uint8_t *p = g_bytes_get_data(c->data, &len);
    while (c->dsent < len) {
        size_t n = sim_tcp_send(pcb, p + c->dsent, len - c->dsent);
        c->dsent += n;
        if (!n)
            return;
    }
    sim_tcp_shutdown(pcb);
}

static void client_connected(void *user, SimTcpPcb *pcb)
{
    client_fill(user, pcb);
}

static void client_sent(void *user, SimTcpPcb *pcb, size_t acked)
{
    Client *c = user;
    if (c->dsent < g_bytes_get_size(c->data))
        client_fill(c, pcb);
}

static void client_recv(void *user, SimTcpPcb *pcb, const uint8_t *data, size_t len)
{
    Client *c = user;
    if (len && c->answer->len < 1024) {
        sim_tcp_recved(pcb, len);
        g_string_append_len(c->answer, (const char *)data, (gssize)MIN(len, 1024));
        return;
    }
    if (len) {
        sim_tcp_recved(pcb, len);
        return;
    }
    c->done = true;
    char *nl = strchr(c->answer->str, '\n');
    if (nl)
        *nl = '\0';
    sim_app_line(c->node, "upload %s to %s: %s", c->name, c->dst,
                 c->answer->len ? c->answer->str : "no answer");
    if (strncmp(c->answer->str, "OK", 2) != 0)
        sim_world_set_failed(sim_node_world(c->node));
    sim_tcp_close(pcb);
}

static void client_error(void *user, SimTcpPcb *pcb, SimTcpErr err)
{
    Client *c = user;
    if (c->done)
        return;
    c->done = true;
    char n[40];
    commas(n, sizeof n, c->dsent);
    sim_app_line(c->node, "upload %s to %s: %s (%s bytes queued)", c->name, c->dst,
                 sim_tcp_err_name(err), n);
    sim_world_set_failed(sim_node_world(c->node));
}

static void client_free(void *p)
{
    Client *c = p;
    g_bytes_unref(c->data);
    g_string_free(c->header, TRUE);
    g_string_free(c->answer, TRUE);
    g_free(c->name);
    g_free(c);
}

gboolean sim_upload_start(SimNode *node, SimIpv4 dst, uint16_t port, const char *name, GBytes *data,
                          GError **error)
{
    SimIpStack *st = sim_app_stack(node, error);
    if (!st)
        return FALSE;
    Client *c = g_new0(Client, 1);
    c->node = node;
    c->data = g_bytes_ref(data);
    c->name = g_strdup(name);
    c->answer = g_string_new(NULL);
    gsize len;
    const uint8_t *p = g_bytes_get_data(data, &len);
    g_autofree char *sha = g_compute_checksum_for_data(G_CHECKSUM_SHA256, p, len);
    c->header = g_string_new(NULL);
    g_string_printf(c->header, "UPLOAD %" G_GSIZE_FORMAT " %s %s\n", len, sha, name);
    char a[SIM_IPV4_STRLEN];
    g_snprintf(c->dst, sizeof c->dst, "%s:%u", sim_ipv4_format(dst, a), port);
    SimTcpCallbacks cb = {.connected = client_connected,
                          .sent = client_sent,
                          .recv = client_recv,
                          .error = client_error};
    if (!sim_app_connect(node, dst, port, &cb, c, error)) {
        client_free(c);
        return FALSE;
    }
    sim_ip_stack_adopt(st, c, client_free);
    return TRUE;
}
