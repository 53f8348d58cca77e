/* tcp.h - TCP (RFC 9293) with a callback socket API in the style of lwIP's
 * raw API.
 *
 * Design: one SimTcp per IP stack (sim_tcp_attach) registers protocol 6
 * with the stack through sim_ip_register_proto(), so sim/l3 never learns
 * what a connection is: arrows point down, apps -> l4 -> l3. A connection
 * is a SimTcpPcb (protocol control block). Applications are callbacks, not
 * blocking calls: the simulation has one event loop and no threads.
 *
 * What is modelled, with the RFC that says so (each rule is cited again
 * where it is coded):
 *   - the whole state machine of RFC 9293 §3.3.2, simultaneous open and
 *     close, half-close, TIME_WAIT for 2 MSL (60 s as Linux's TCP_TIMEWAIT_LEN;
 *     configurable);
 *   - MSS option from the interface MTU, ISN from the world RNG;
 *   - window scaling (RFC 7323 §2), the shift chosen so that the receive
 *     buffer fits the 16-bit field (Linux picks it from tcp_rmem[2]);
 *   - cumulative ACKs, delayed ACK (RFC 1122 §4.2.3.2: every second full
 *     segment, else after 40 ms, Linux's TCP_DELACK_MIN), Nagle (RFC 896)
 *     unless nodelay, sender and receiver SWS avoidance (RFC 9293 §3.8.6.2),
 *     zero-window probes with one byte of new data (§3.8.6.1);
 *   - RTO per RFC 6298 (1 s initial, Karn, exponential backoff) with Linux's
 *     200 ms floor (RFC 6298 asks 1 s) and 120 s ceiling; after `retries`
 *     expirations (Linux tcp_retries2 = 15; tcp_syn_retries = 6 for SYNs)
 *     the connection aborts with SIM_TCP_ERR_TIMEOUT;
 *   - congestion control behind SimTcpCcOps (tcp_cc.h): RFC 5681 slow start
 *     and congestion avoidance, fast retransmit on 3 duplicate ACKs and
 *     NewReno fast recovery (RFC 6582); initial window 10 segments as Linux
 *     (RFC 6928) rather than RFC 5681's 3;
 *   - RST for a segment to a closed port, on abort, and RST validation
 *     against the window with challenge ACKs (RFC 5961 §3, §4);
 *   - out-of-order segments kept within the receive window (the packets
 *     themselves, by reference) and delivered in order.
 * Left out: timestamps (RFC 7323 §3), SACK (RFC 2018), ECN, urgent data
 * (URG is ignored), keepalive, PMTU discovery, the Linux quick-ack mode at
 * connection start, and buffer autotuning (buffers are the sizes given).
 *
 * Buffers and memory: the send buffer holds at most `sndbuf` bytes as
 * MSS-sized packets from the world's pool (tcp_sndq.h); a segment is sent
 * as a view that shares its chunk's payload (Linux's skb clone), or, when
 * it cannot, a copy (a retransmission while the first copy is still in the
 * network), so the steady state does no malloc per segment and a segment
 * in flight costs its headers only. Received in-order data is
 * handed to the recv callback at once and not kept: the application
 * borrows the bytes for the call and copies what it keeps. The advertised
 * window is rcvbuf minus the bytes the application has not yet declared
 * consumed with sim_tcp_recved(), so a slow reader closes the window and
 * the sender stops (lwIP's tcp_recved). Out-of-order segments hold their
 * packets until the hole fills; they are within the window, so bounded.
 *
 * Ownership: the SimTcp owns every pcb. An application holds a pcb from
 * sim_tcp_new() (or the accept callback) until it calls sim_tcp_close() or
 * sim_tcp_abort(), or until the error callback returns; after that the
 * handle must not be used (the stack keeps the pcb through FIN_WAIT and
 * TIME_WAIT and frees it itself). Calls made on a pcb from inside its own
 * callbacks are safe. Data pointers passed to callbacks are borrowed.
 */
#pragma once

#include "sim/core/world.h"
#include "sim/l3/ipstack.h"
#include "sim/net/addr.h"

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct _SimTcp SimTcp;
typedef struct _SimTcpPcb SimTcpPcb;

/* RFC 9293 §3.3.2 states; names as the RFC writes them. */
typedef enum {
    SIM_TCP_CLOSED,
    SIM_TCP_LISTEN,
    SIM_TCP_SYN_SENT,
    SIM_TCP_SYN_RECEIVED,
    SIM_TCP_ESTABLISHED,
    SIM_TCP_FIN_WAIT_1,
    SIM_TCP_FIN_WAIT_2,
    SIM_TCP_CLOSE_WAIT,
    SIM_TCP_CLOSING,
    SIM_TCP_LAST_ACK,
    SIM_TCP_TIME_WAIT,
} SimTcpState;

/* Why a connection ended badly (the error callback's argument). */
typedef enum {
    SIM_TCP_ERR_REFUSED, /* RST in answer to our SYN: ECONNREFUSED */
    SIM_TCP_ERR_RESET,   /* RST on a synchronized connection: ECONNRESET */
    SIM_TCP_ERR_TIMEOUT, /* retransmissions exhausted: ETIMEDOUT */
    SIM_TCP_ERR_UNREACH, /* ICMP unreachable during the handshake: EHOSTUNREACH */
} SimTcpErr;

typedef struct {
    /* A listener's new connection reached ESTABLISHED. The application now
     * owns newpcb and sets its callbacks with sim_tcp_set_callbacks(). */
    void (*accept)(void *user, SimTcpPcb *listener, SimTcpPcb *newpcb);
    /* Our active open completed. */
    void (*connected)(void *user, SimTcpPcb *pcb);
    /* In-order data (borrowed), or len == 0 once: the peer sent FIN. */
    void (*recv)(void *user, SimTcpPcb *pcb, const uint8_t *data, size_t len);
    /* acked bytes left the send buffer: room for more. */
    void (*sent)(void *user, SimTcpPcb *pcb, size_t acked);
    /* The connection is gone; the pcb is freed when this returns. */
    void (*error)(void *user, SimTcpPcb *pcb, SimTcpErr err);
} SimTcpCallbacks;

/* Per-connection settings; a new pcb copies its SimTcp's defaults, an
 * accepted one its listener's. */
typedef struct {
    size_t sndbuf;     /* bytes; Linux tcp_wmem[1] = 16384 */
    size_t rcvbuf;     /* bytes; Linux tcp_rmem[1] = 131072 */
    bool nodelay;      /* TCP_NODELAY: no Nagle */
    SimTime time_wait; /* 2 MSL; Linux 60 s */
    guint retries;     /* RTO expirations before abort (tcp_retries2) */
    guint syn_retries; /* for SYN and SYN-ACK (tcp_syn_retries) */
    SimTime delack;    /* delayed-ACK timer; 40 ms */
    const char *cc;    /* congestion control by name; "newreno" */
} SimTcpOpts;

#define SIM_TCP_DEFAULT_SNDBUF 16384
#define SIM_TCP_DEFAULT_RCVBUF 131072
#define SIM_TCP_MAX_BUF (256u << 20) /* bounds a configured buffer */

void sim_tcp_opts_default(SimTcpOpts *o);

/* ---- per stack ------------------------------------------------------------ */

/* Gives the IP stack of node TCP (idempotent) and returns it; NULL when
 * the node has no IP stack. Freed with the stack. */
SimTcp *sim_tcp_attach(SimNode *node);
/* The node's TCP, NULL when not attached. */
SimTcp *sim_tcp_of(SimNode *node);
SimTcpOpts *sim_tcp_defaults(SimTcp *tcp);
/* Appends the `show NODE sockets` lines for TCP (the ss -tan layout). */
void sim_tcp_show(SimTcp *tcp, GString *out);

/* ---- connections ----------------------------------------------------------- */

SimTcpPcb *sim_tcp_new(SimTcp *tcp);
void sim_tcp_set_callbacks(SimTcpPcb *pcb, const SimTcpCallbacks *cb, void *user);
SimTcpOpts *sim_tcp_opts(SimTcpPcb *pcb); /* change before connect/listen */
/* Local address (0 = any) and port (0 = ephemeral, 32768..60999). */
gboolean sim_tcp_bind(SimTcpPcb *pcb, SimIpv4 addr, uint16_t port, GError **error);
gboolean sim_tcp_listen(SimTcpPcb *pcb, guint backlog, GError **error);
gboolean sim_tcp_connect(SimTcpPcb *pcb, SimIpv4 addr, uint16_t port, GError **error);
/* Copies up to len bytes into the send buffer; returns how many it took
 * (0 when full or when sending is shut down). */
size_t sim_tcp_send(SimTcpPcb *pcb, const uint8_t *data, size_t len);
size_t sim_tcp_sndbuf_free(const SimTcpPcb *pcb);
/* The application consumed len received bytes: reopen the window. */
void sim_tcp_recved(SimTcpPcb *pcb, size_t len);
/* Half-close: FIN after the queued data; receiving goes on. */
void sim_tcp_shutdown(SimTcpPcb *pcb);
/* Orderly close (FIN); the handle is given up. */
void sim_tcp_close(SimTcpPcb *pcb);
/* RST and free at once; the handle is given up. No error callback. */
void sim_tcp_abort(SimTcpPcb *pcb);

SimTcpState sim_tcp_state(const SimTcpPcb *pcb);
const char *sim_tcp_state_name(SimTcpState s); /* "ESTABLISHED" */
const char *sim_tcp_err_name(SimTcpErr e);     /* "Connection refused" */
void sim_tcp_local(const SimTcpPcb *pcb, SimIpv4 *addr, uint16_t *port);
void sim_tcp_remote(const SimTcpPcb *pcb, SimIpv4 *addr, uint16_t *port);
/* Counters of one connection, for tests and summaries. */
typedef struct {
    uint64_t segs_out, segs_in, bytes_acked, bytes_received;
    uint64_t retransmits, fast_retransmits, rto_expiries, dupacks_in, ooo_segs;
    uint32_t cwnd, ssthresh, mss, snd_wnd;
    SimTime srtt, rto;
} SimTcpInfo;
void sim_tcp_info(const SimTcpPcb *pcb, SimTcpInfo *out);
