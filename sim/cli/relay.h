/* relay.h - `netsim run --realtime [FACTOR] --relay [ADDR:]PORT=NODE:PORT`:
 * real TCP connections on this machine become simulated ones.
 *
 * Design: the relay is the only part of netsim that touches real sockets,
 * so it lives in the CLI, not in the model. It listens on ADDR:PORT
 * (127.0.0.1 unless an address is written) and, for each real connection
 * it accepts, opens a simulated TCP connection from the gateway host (the
 * --relay-from host, by default the first host of the topology) to
 * NODE:PORT, where a `service` must listen. Bytes are copied both ways; a
 * real EOF becomes a simulated FIN (sim_tcp_shutdown) and a simulated FIN a
 * real shutdown(SHUT_WR); a reset, refusal or timeout on the simulated side
 * resets the real connection (SO_LINGER 0), and a real reset aborts the
 * simulated one. At most 64 KiB from the real side wait for the simulated
 * send buffer (past that the relay stops reading the real socket, so a
 * fast real client is paced by the simulated network); bytes for the real
 * side are acknowledged to simulated TCP (sim_tcp_recved) only once the
 * real socket took them, so the receive window bounds them.
 *
 * The event loop is paced against the wall clock: simulated time t runs at
 * wall time t * FACTOR after the start (FACTOR 10: ten times slower than
 * real time, for a classroom). Between events the loop sleeps in poll() on
 * the real sockets, so a real connection is taken in at the simulated time
 * that corresponds to when it arrived. Determinism is given up only here:
 * runs without --realtime never reach this code.
 *
 * Ownership: sim_relay_new binds its socket; sim_relay_free closes every
 * real socket and gives up every simulated connection.
 */
#pragma once

#include "sim/topo/scenario.h"

#include <glib.h>
#include <signal.h>

typedef struct _SimRelay SimRelay;

/* Parses spec "[ADDR:]PORT=NODE:PORT", checks it against the scenario's
 * topology and binds the listening socket. Errors are usage errors (exit 2). */
SimRelay *sim_relay_new(SimScenario *sc, const char *spec, const char *from, GError **error);
void sim_relay_free(SimRelay *r);
/* The port actually bound (for a spec that asked for port 0). */
guint16 sim_relay_port(const SimRelay *r);
/* "127.0.0.1:8001 → cloud:8001 from pc" */
const char *sim_relay_name(const SimRelay *r);

/* Runs the world paced at factor wall seconds per simulated second until
 * `until` or until *stop is set (SIGINT), serving the relays' sockets.
 * Returns SIM_RUN_STOPPED when interrupted. */
SimRunStatus sim_relay_run(SimWorld *w, GPtrArray *relays, double factor, SimTime until,
                           volatile sig_atomic_t *stop);
