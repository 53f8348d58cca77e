/* appio.c - console lines and Python's bytes repr; see appio.h. */
#include "sim/apps/appio.h"

#include "sim/core/trace.h"
#include "sim/core/world.h"
#include "sim/l3/ipstack.h"

#include <string.h>

void sim_app_line(SimNode *node, const char *fmt, ...)
{
    SimWorld *w = sim_node_world(node);
    if (!sim_trace_wants(sim_world_trace(w), SIM_TR_APP))
        return;
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *s = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    sim_world_tracef(w, SIM_TR_APP, SIM_DROP_NONE, sim_node_name(node), NULL, NULL, "%s", s);
}

SimIpStack *sim_app_stack(SimNode *node, GError **error)
{
    SimIpStack *st = sim_ip_stack(node);
    if (!st)
        g_set_error(error, SIM_IP_ERROR, SIM_IP_ERROR_NOT_IP, "%s has no IP stack",
                    sim_node_name(node));
    return st;
}

SimTcpPcb *sim_app_listen(SimNode *node, uint16_t port, guint backlog, const SimTcpCallbacks *cb,
                          void *user, GError **error)
{
    SimTcpPcb *l = sim_tcp_new(sim_tcp_attach(node));
    sim_tcp_set_callbacks(l, cb, user);
    if (!sim_tcp_bind(l, 0, port, error) || !sim_tcp_listen(l, backlog, error)) {
        sim_tcp_close(l);
        return NULL;
    }
    return l;
}

SimTcpPcb *sim_app_connect(SimNode *node, SimIpv4 dst, uint16_t port, const SimTcpCallbacks *cb,
                           void *user, GError **error)
{
    SimTcpPcb *pcb = sim_tcp_new(sim_tcp_attach(node));
    sim_tcp_set_callbacks(pcb, cb, user);
    if (!sim_tcp_connect(pcb, dst, port, error)) {
        sim_tcp_abort(pcb);
        return NULL;
    }
    return pcb;
}

void sim_app_pyrepr(GString *out, const uint8_t *data, size_t len)
{
    char quote = '\'';
    if (len && memchr(data, '\'', len) && !memchr(data, '"', len)) /* data may be NULL */
        quote = '"';
    g_string_append_c(out, 'b');
    g_string_append_c(out, quote);
    for (size_t i = 0; i < len; i++) {
        uint8_t c = data[i];
        if (c == quote || c == '\\')
            g_string_append_printf(out, "\\%c", c);
        else if (c == '\t')
            g_string_append(out, "\\t");
        else if (c == '\n')
            g_string_append(out, "\\n");
        else if (c == '\r')
            g_string_append(out, "\\r");
        else if (c < 0x20 || c >= 0x7f)
            g_string_append_printf(out, "\\x%02x", c);
        else
            g_string_append_c(out, (char)c);
    }
    g_string_append_c(out, quote);
}
