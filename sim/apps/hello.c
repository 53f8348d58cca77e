/* hello.c - the seed's "Hello, client!" server and its client; see hello.h. */
#include "sim/apps/hello.h"

#include "sim/apps/appio.h"
#include "sim/l3/ipstack.h"
#include "sim/l4/tcp.h"

#include <string.h>

/* ---- server ------------------------------------------------------------------- */

typedef struct {
    SimNode *node;
    SimTcpPcb *listener;
} Server;

/* One accepted connection: conn.recv(1024), print, sendall, close. */
static void conn_recv(void *user, SimTcpPcb *pcb, const uint8_t *data, size_t len)
{
    Server *s = user;
    size_t n = MIN(len, (size_t)SIM_HELLO_RECV_MAX);
    g_autoptr(GString) line = g_string_new("received ");
    sim_app_pyrepr(line, data, n);
    sim_app_line(s->node, "%s", line->str);
    sim_tcp_recved(pcb, n);
    sim_tcp_send(pcb, (const uint8_t *)SIM_HELLO_REPLY, strlen(SIM_HELLO_REPLY));
    sim_tcp_close(pcb); /* RST instead of FIN if bytes past 1024 are unread */
}

static void conn_error(void *user, SimTcpPcb *pcb, SimTcpErr err)
{
    Server *s = user;
    sim_app_line(s->node, "hello: connection lost before a message: %s", sim_tcp_err_name(err));
}

static void server_accept(void *user, SimTcpPcb *listener, SimTcpPcb *pcb)
{
    SimTcpCallbacks cb = {.recv = conn_recv, .error = conn_error};
    sim_tcp_set_callbacks(pcb, &cb, user);
}

gboolean sim_hello_start(SimNode *node, uint16_t port, GError **error)
{
    SimIpStack *st = sim_app_stack(node, error);
    if (!st)
        return FALSE;
    Server *s = g_new0(Server, 1);
    s->node = node;
    SimTcpCallbacks cb = {.accept = server_accept};
    s->listener = sim_app_listen(node, port, 5, &cb, s, error);
    if (!s->listener) {
        g_free(s);
        return FALSE;
    }
    sim_ip_stack_adopt(st, s, g_free);
    return TRUE;
}

/* ---- client ------------------------------------------------------------------- */

typedef struct {
    SimNode *node;
    GBytes *msg;
    size_t queued;
    bool done; /* the reply was printed or the connection failed */
} Client;

static void client_fill(Client *c, SimTcpPcb *pcb)
{
    gsize len;
    const uint8_t *p = g_bytes_get_data(c->msg, &len);
    c->queued += sim_tcp_send(pcb, p + c->queued, len - c->queued);
}

static void client_connected(void *user, SimTcpPcb *pcb)
{
    client_fill(user, pcb);
}

static void client_sent(void *user, SimTcpPcb *pcb, size_t acked)
{
    Client *c = user;
    if (!c->done && c->queued < g_bytes_get_size(c->msg))
        client_fill(c, pcb);
}

/* reply = client.recv(1024); print(reply); print(reply.decode('utf-8')) */
static void client_recv(void *user, SimTcpPcb *pcb, const uint8_t *data, size_t len)
{
    Client *c = user;
    if (c->done)
        return;
    c->done = true;
    size_t n = MIN(len, (size_t)SIM_HELLO_RECV_MAX);
    g_autoptr(GString) repr = g_string_new(NULL);
    sim_app_pyrepr(repr, data, n);
    sim_app_line(c->node, "%s", repr->str);
    if (n == 0) /* FIN before any reply: b'' and an empty line (data may be NULL) */
        sim_app_line(c->node, "%s", "");
    else if (g_utf8_validate((const char *)data, (gssize)n, NULL) && !memchr(data, 0, n))
        sim_app_line(c->node, "%.*s", (int)n, (const char *)data);
    else
        sim_app_line(c->node, "UnicodeDecodeError: 'utf-8' codec can't decode the reply");
    sim_tcp_recved(pcb, n);
    sim_tcp_close(pcb);
}

static void client_error(void *user, SimTcpPcb *pcb, SimTcpErr err)
{
    Client *c = user;
    if (c->done)
        return;
    c->done = true;
    sim_app_line(c->node, "send: %s", sim_tcp_err_name(err));
    sim_world_set_failed(sim_node_world(c->node));
}

static void client_free(void *p)
{
    Client *c = p;
    g_bytes_unref(c->msg);
    g_free(c);
}

gboolean sim_hello_send(SimNode *node, SimIpv4 dst, uint16_t port, const uint8_t *data, size_t len,
                        GError **error)
{
    SimIpStack *st = sim_app_stack(node, error);
    if (!st)
        return FALSE;
    Client *c = g_new0(Client, 1);
    c->node = node;
    c->msg = g_bytes_new(data, len);
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
