/* stp_rx.c - what a bridge makes of a BPDU (802.1D-1998 8.7, 802.1D-2004
 * 17.21/17.27-17.29 as simplified in stp.h); see stp.h. */
#include "sim/l2/stp_priv.h"

#include "sim/net/bpdu.h"
#include "sim/net/packet.h"

#include <string.h>

/* ---- receiving ------------------------------------------------------------- */

static void trace_rx(SimStp *s, StpPort *p, const SimPacket *pkt, const SimBpdu *b,
                     const char *verdict)
{
    if (!stp_tracing(s, SIM_TR_BPDU))
        return;
    char root[SIM_BRIDGE_ID_STRLEN], br[SIM_BRIDGE_ID_STRLEN], pid[SIM_PORT_ID_STRLEN];
    if (b->type == SIM_BPDU_TYPE_TCN) {
        sim_world_tracef(s->w, SIM_TR_BPDU, SIM_DROP_NONE, s->name, stp_pname(p), pkt,
                         "received a TCN BPDU on %s: %s", stp_plabel(p), verdict);
        return;
    }
    sim_world_tracef(
        s->w, SIM_TR_BPDU, SIM_DROP_NONE, s->name, stp_pname(p), pkt,
        "received %s BPDU on %s: root %s cost %u bridge %s port %s age %us%s%s%s%s: %s",
        b->type == SIM_BPDU_TYPE_RST ? "an RST" : "a Configuration", stp_plabel(p),
        sim_bridge_id_format(b->root_id, root), b->root_cost,
        sim_bridge_id_format(b->bridge_id, br), sim_port_id_format(b->port_id, pid),
        b->message_age / 256, b->flags & SIM_BPDU_F_TC ? ", TC" : "",
        b->flags & SIM_BPDU_F_TCA ? ", TCA" : "",
        b->flags & SIM_BPDU_F_PROPOSAL ? ", proposal" : "",
        b->flags & SIM_BPDU_F_AGREEMENT ? ", agreement" : "", verdict);
}

/* RSTP: a proposal heard on the root port. Sync: every other non-edge
 * designated port stops forwarding (and proposes downstream), then agree. */
static void rstp_sync(SimStp *s, StpPort *rp)
{
    for (guint i = 0; i < s->n; i++) {
        StpPort *q = &s->ports[i];
        if (q == rp || q->role != SIM_STP_ROLE_DESIGNATED || q->oper_edge || !q->enabled)
            continue;
        if (q->state != SIM_STP_BLOCKING)
            stp_discard(s, q, "sync: the root port heard a proposal");
        stp_designated_start(s, q, "sync");
    }
    rp->agreed = true;
    rp->agree_pending = true;
    stp_send_config(s, rp, "agreement: all other designated ports are synced");
    stp_send_designated(s, "proposal after sync");
}

static void tcn_received(SimStp *s, StpPort *p, const SimPacket *pkt, const SimBpdu *b)
{
    if (p->role != SIM_STP_ROLE_DESIGNATED) {
        trace_rx(s, p, pkt, b, "ignored, not a designated port");
        return;
    }
    trace_rx(s, p, pkt, b, "acknowledge it and pass the change toward the root");
    p->tca_pending = true;
    if (stp_rstp(s)) {
        stp_topology_change(s, p, "TCN from an 802.1D neighbour");
    } else {
        s->stats.topology_changes++;
        if (s->root_port < 0) {
            stp_root_tc(s);
        } else if (!s->tcn_pending) {
            s->tcn_pending = true;
            stp_send_tcn(s);
        }
    }
    stp_send_config(s, p, "acknowledge TCN");
}

/* The root port's info carries the root's TC flag and may acknowledge our
 * TCN (802.1D-1998 8.7.1). */
static void stp_root_port_flags(SimStp *s, const SimBpdu *b)
{
    if ((b->flags & SIM_BPDU_F_TCA) && s->tcn_pending) {
        s->tcn_pending = false;
        stp_timer_stop(s, &s->tcn_timer);
        SIM_TRACE(s->w, SIM_TR_STP, SIM_DROP_NONE, s->name, NULL, NULL,
                  "the designated bridge acknowledged our TCN");
    }
    stp_set_tc_flag(s, (b->flags & SIM_BPDU_F_TC) != 0, "heard from the root");
}

/* RSTP (17.29 NOTIFIED_TC): TC in any BPDU heard on a forwarding root or
 * designated port, whatever role the sender's port has. */
static void rstp_tc_heard(SimStp *s, StpPort *p, const SimBpdu *b)
{
    if (!stp_rstp(s) || !(b->flags & SIM_BPDU_F_TC) || p->state != SIM_STP_FORWARDING ||
        (p->role != SIM_STP_ROLE_ROOT && p->role != SIM_STP_ROLE_DESIGNATED))
        return;
    s->stats.topology_changes++;
    s->stats.last_topology_change = stp_now(s);
    char why[64];
    g_snprintf(why, sizeof why, "TC heard on %s", stp_plabel(p));
    stp_rstp_propagate(s, p, false, why);
}

static void config_received(SimStp *s, StpPort *p, const SimPacket *pkt, const SimBpdu *b)
{
    bool rstp = stp_rstp(s);
    SimBpduRole brole = b->type == SIM_BPDU_TYPE_RST ? sim_bpdu_role(b) : SIM_BPDU_ROLE_DESIGNATED;
    if (rstp && (b->flags & SIM_BPDU_F_AGREEMENT) && p->role == SIM_STP_ROLE_DESIGNATED &&
        b->type == SIM_BPDU_TYPE_RST && p->p2p) {
        trace_rx(s, p, pkt, b, "the neighbour agrees");
        p->agreed = true;
        stp_forward_now(s, p, "agreement received: the neighbour has synced (802.1D-2004 17.29.3)");
        if (brole != SIM_BPDU_ROLE_DESIGNATED) {
            rstp_tc_heard(s, p, b);
            return;
        }
    }
    if (rstp && brole != SIM_BPDU_ROLE_DESIGNATED) {
        if (!(b->flags & SIM_BPDU_F_AGREEMENT))
            trace_rx(s, p, pkt, b,
                     b->flags & SIM_BPDU_F_TC ? "from a root or alternate port: only its TC counts"
                                              : "from a root or alternate port, nothing to record");
        rstp_tc_heard(s, p, b);
        return;
    }
    StpVec m = {b->root_id, b->root_cost, b->bridge_id, b->port_id};
    StpVec d = stp_designated_vec(s, p);
    bool same_sender = p->has_info && p->info.bridge == m.bridge && p->info.port == m.port;
    bool accept;
    if (p->has_info)
        accept = stp_vec_cmp(&m, &p->info) <= 0 || (rstp && same_sender);
    else
        accept = stp_vec_cmp(&m, &d) < 0;
    if (!accept) {
        bool reply = p->role == SIM_STP_ROLE_DESIGNATED;
        trace_rx(s, p, pkt, b,
                 reply ? "worse than ours: this port stays designated and replies"
                       : "worse than the recorded information: ignored");
        if (reply)
            stp_send_config(s, p, "reply to inferior information");
        return;
    }
    bool changed = !p->has_info || stp_vec_cmp(&m, &p->info) != 0 ||
                   memcmp(&p->msg_times, &(StpTimes){b->max_age, b->hello_time, b->forward_delay},
                          sizeof p->msg_times) != 0;
    trace_rx(s, p, pkt, b,
             !changed ? "same as recorded, timer restarted"
             : p->has_info && stp_vec_cmp(&m, &p->info) > 0
                 ? "worse news from the designated bridge, "
                   "recorded"
                 : "better than recorded, recorded");
    p->has_info = true;
    p->info = m;
    p->msg_age = b->message_age;
    p->msg_times = (StpTimes){b->max_age, b->hello_time, b->forward_delay};
    SimTime life = rstp ? 3 * sim_bpdu_time(b->hello_time)
                        : sim_bpdu_time(b->max_age) - sim_bpdu_time(b->message_age);
    stp_timer_start(s, &p->age_timer, life, stp_age_expired, p);
    if (changed) {
        char why[48];
        g_snprintf(why, sizeof why, "BPDU on %s", stp_plabel(p));
        stp_update_roles(s, why);
        if (rstp)
            stp_send_designated(s, "new information");
    }
    if (p->role == SIM_STP_ROLE_ROOT) {
        if (!rstp) {
            stp_root_port_flags(s, b);
            stp_send_designated(s, "relaying the root's BPDU");
        } else if ((b->flags & SIM_BPDU_F_PROPOSAL) && (changed || !p->agreed)) {
            rstp_sync(s, p);
        } else if (b->flags & SIM_BPDU_F_PROPOSAL) {
            p->agree_pending = true; /* synced already for this information */
            stp_send_config(s, p, "agreement: still synced");
        }
    } else if (rstp && (b->flags & SIM_BPDU_F_PROPOSAL) &&
               (p->role == SIM_STP_ROLE_ALTERNATE || p->role == SIM_STP_ROLE_BACKUP)) {
        p->agree_pending = true;
        stp_send_config(s, p, "an alternate port agrees: it discards anyway");
    }
    rstp_tc_heard(s, p, b);
}

bool sim_stp_input(SimStp *s, guint port, SimPacket *pkt)
{
    const uint8_t *f = sim_packet_cdata(pkt);
    size_t len = sim_packet_len(pkt);
    if (!sim_bpdu_is_group_frame(f, len))
        return false;
    StpPort *p = &s->ports[port];
    SimBpdu b;
    g_autoptr(GError) err = NULL;
    if (!sim_bpdu_parse(f, len, &b, &err)) {
        sim_iface_count_drop(sim_bridge_port(s->bridge, port), SIM_DROP_MALFORMED);
        SIM_TRACE(s->w, SIM_TR_DROP, SIM_DROP_MALFORMED, s->name, stp_pname(p), pkt,
                  "not relayed: frames to 01:80:c2:00:00:00 are for the bridge (%s)", err->message);
        sim_packet_unref(pkt);
        return true;
    }
    s->stats.bpdu_rx++;
    p->rx++;
    if (!p->enabled || !s->started) {
        sim_packet_unref(pkt);
        return true;
    }
    p->rcvd_bpdu = true;
    stp_timer_stop(s, &p->edge_timer);
    if (p->oper_edge && !p->admin_edge) {
        p->oper_edge = false;
        SIM_TRACE(s->w, SIM_TR_STP, SIM_DROP_NONE, s->name, stp_pname(p), NULL,
                  "%s heard a BPDU: not an edge port", stp_plabel(p));
    }
    if (stp_rstp(s) && b.type != SIM_BPDU_TYPE_RST && !p->send_stp) {
        p->send_stp = true;
        p->proposing = false;
        SIM_TRACE(s->w, SIM_TR_STP, SIM_DROP_NONE, s->name, stp_pname(p), NULL,
                  "%s hears an 802.1D bridge: it sends 802.1D BPDUs there from now on "
                  "(802.1D-2004 17.24)",
                  stp_plabel(p));
    } else if (stp_rstp(s) && b.type == SIM_BPDU_TYPE_RST && p->send_stp) {
        p->send_stp = false;
    }
    if (!stp_rstp(s) && b.type == SIM_BPDU_TYPE_RST) {
        trace_rx(s, p, pkt, &b, "ignored: an 802.1D-1998 bridge knows no RST BPDU");
    } else if (b.type == SIM_BPDU_TYPE_TCN) {
        tcn_received(s, p, pkt, &b);
    } else if (b.message_age >= b.max_age) {
        trace_rx(s, p, pkt, &b, "message age reached max age: discarded");
    } else {
        config_received(s, p, pkt, &b);
    }
    sim_packet_unref(pkt);
    return true;
}
