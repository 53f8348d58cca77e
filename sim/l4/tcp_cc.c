/* tcp_cc.c - congestion control algorithms behind TcpCcOps.
 *
 * NewReno's window growth (RFC 5681 §3.1) and its ssthresh on loss; the
 * fast retransmit / fast recovery steps of RFC 6582 live in tcp_in.c since
 * every loss-based algorithm shares them. CUBIC (RFC 9438) would add an
 * entry to the table with its own on_ack and ssthresh (beta 0.7) and keep
 * its epoch state in the pcb.
 */
#include "sim/l4/tcp_priv.h"

#include <string.h>

#define CWND_MAX (1u << 30) /* keeps cwnd + MSS far from overflow */

static void newreno_on_ack(SimTcpPcb *pcb, uint32_t acked)
{
    if (pcb->cwnd < pcb->ssthresh) {
        /* Slow start with appropriate byte counting, L = 2 SMSS (RFC 3465
         * §2.3), so that a delayed ACK covering two segments still doubles
         * the window per round trip, as Linux does. */
        pcb->cwnd += MIN(acked, 2u * pcb->mss);
    } else {
        /* Congestion avoidance: one SMSS per cwnd of bytes acknowledged
         * (RFC 5681 §3.1, the byte-counting variant). */
        pcb->bytes_acked += acked;
        if (pcb->bytes_acked >= pcb->cwnd) {
            pcb->bytes_acked -= pcb->cwnd;
            pcb->cwnd += pcb->mss;
        }
    }
    pcb->cwnd = MIN(pcb->cwnd, CWND_MAX);
}

static uint32_t newreno_ssthresh(SimTcpPcb *pcb)
{
    /* RFC 5681 eq. (4): max(FlightSize / 2, 2 * SMSS). */
    uint32_t flight = pcb->snd_max - pcb->snd_una;
    return MAX(flight / 2, 2u * pcb->mss);
}

static const TcpCcOps algorithms[] = {
    {"newreno", newreno_on_ack, newreno_ssthresh},
};

const TcpCcOps *tcp_cc_find(const char *name)
{
    for (guint i = 0; name && i < G_N_ELEMENTS(algorithms); i++) {
        if (strcmp(algorithms[i].name, name) == 0)
            return &algorithms[i];
    }
    return &algorithms[0];
}
