/* fdb.h - a switch's filtering database (MAC table): (MAC, VLAN) -> port.
 *
 * Design: open addressing with linear probing over a power-of-two array of
 * 24-byte slots, keyed by the 64-bit integer mac48 | vid << 48 and hashed
 * with a 64-bit finaliser (MACs are often sequential, so the raw key would
 * cluster). Load is kept at or below 1/2, so a lookup is one or two probes
 * on average: O(1) expected for lookup, learn and delete. Deletion uses
 * backward shifting rather than tombstones, so a table that churns (aging,
 * moves) never degrades and never needs a rebuild. The array starts small
 * and doubles up to the size the capacity needs; after that, learning and
 * forwarding allocate nothing.
 *
 * Aging is lazy, as in Linux br_fdb.c: an entry records when it was last
 * seen, lookups treat an expired entry as absent, and sim_fdb_expire (run by
 * the owner's one sweep event at the earliest expiry) removes them.
 * The table itself knows nothing of events; the owner passes `now`.
 * Finding what expired, and the next expiry, uses a binary min-heap of
 * (expiry, key) records with lazy validation: a record is pushed when an
 * entry is created, never updated when traffic refreshes it (that would put
 * a heap operation on every frame), and checked against the entry when it
 * surfaces: gone, or refreshed since, it is dropped or re-pushed at the
 * entry's real expiry. A record's time is never later than its entry's real
 * expiry, so the top, once checked, is the earliest. A sweep thus costs
 * O((expired + stale records) log n) instead of a scan of the table: the
 * scan made the sweeps that follow N hosts going quiet one by one O(N^2).
 *
 * Rejected: GHashTable (a malloc per node and pointer chasing per lookup);
 * chaining (a malloc per entry); robin hood hashing (lower variance, but at
 * load 1/2 linear probing is already short and simpler to delete from).
 *
 * Iteration (sim_fdb_entries) sorts a snapshot by (port, MAC, VLAN), so
 * `show mac` never depends on hash order.
 */
#pragma once

#include "sim/core/simtime.h"
#include "sim/net/addr.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct _SimFdb SimFdb;

#define SIM_FDB_DEFAULT_CAPACITY 8192
#define SIM_FDB_DEFAULT_AGING (300 * SIM_SEC)
#define SIM_FDB_MAX_CAPACITY (1u << 24)

typedef struct {
    SimMac mac;
    uint16_t vlan;
    bool is_static;
    guint port;
    SimTime last_seen; /* for static entries: when added */
} SimFdbEntry;

typedef enum {
    SIM_FDB_NEW,       /* a new entry was created */
    SIM_FDB_REFRESHED, /* known on the same port; last_seen updated */
    SIM_FDB_MOVED,     /* known on another port; moved (old port returned) */
    SIM_FDB_STATIC,    /* a static entry exists; left unchanged */
    SIM_FDB_FULL,      /* unknown and the table is full: not learned */
} SimFdbLearn;

/* capacity: maximum number of entries (static included), 1..SIM_FDB_MAX_CAPACITY.
 * aging: idle time after which a dynamic entry expires; 0 disables aging. */
SimFdb *sim_fdb_new(guint capacity, SimTime aging);
void sim_fdb_free(SimFdb *fdb); /* NULL is a no-op */

guint sim_fdb_count(const SimFdb *fdb); /* entries, including expired ones not yet swept */
guint sim_fdb_capacity(const SimFdb *fdb);
SimTime sim_fdb_aging(const SimFdb *fdb);
/* Changes the aging time of every dynamic entry, as an 802.1D topology
 * change does (forward delay for a while). Rebuilds the expiry heap:
 * O(n log n), rare. */
void sim_fdb_set_aging(SimFdb *fdb, SimTime aging);

/* Learns that `mac` was seen on `port` at `now`. An expired entry counts
 * as absent (re-learned: SIM_FDB_NEW). For SIM_FDB_MOVED, *old_port (if
 * non-NULL) receives the previous port. */
SimFdbLearn sim_fdb_learn(SimFdb *fdb, const SimMac *mac, uint16_t vlan, guint port, SimTime now,
                          guint *old_port);
/* Adds or overwrites a static entry (never ages, never moves). Returns
 * false when the entry is new and the table is full. */
bool sim_fdb_add_static(SimFdb *fdb, const SimMac *mac, uint16_t vlan, guint port, SimTime now);
/* The port of a live (not expired) entry. */
bool sim_fdb_lookup(const SimFdb *fdb, const SimMac *mac, uint16_t vlan, SimTime now, guint *port);
/* The whole entry, live or not; false if absent. */
bool sim_fdb_get(const SimFdb *fdb, const SimMac *mac, uint16_t vlan, SimFdbEntry *out);
bool sim_fdb_remove(SimFdb *fdb, const SimMac *mac, uint16_t vlan);

/* Removes the dynamic entries expired at `now` (appended to `removed`, a
 * GArray of SimFdbEntry, when non-NULL). *next_expiry receives the earliest
 * expiry among the remaining dynamic entries, SIM_TIME_MAX if none (or if
 * aging is disabled). Returns the number removed, in no particular order.
 * O((removed + entries refreshed since they were queued) log n). */
guint sim_fdb_expire(SimFdb *fdb, SimTime now, GArray *removed, SimTime *next_expiry);
/* Removes entries on `port` (or on every port when port < 0), static ones
 * only if include_static. Removed entries are appended to `removed` when
 * non-NULL. Returns the number removed. */
guint sim_fdb_flush(SimFdb *fdb, int port, bool include_static, GArray *removed);

/* A new GArray of SimFdbEntry holding the live entries, sorted by port,
 * then MAC, then VLAN. The caller frees it (g_array_unref). */
GArray *sim_fdb_entries(const SimFdb *fdb, SimTime now);
/* Sorts an array of SimFdbEntry in that same order. */
void sim_fdb_sort(GArray *entries);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimFdb, sim_fdb_free)
