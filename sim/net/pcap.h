/* pcap.h - classic libpcap file writer (nanosecond timestamps, Ethernet).
 *
 * Design: the classic format (not pcapng) because every tool reads it and
 * one file per interface or link needs no per-interface blocks. The
 * nanosecond magic 0xa1b23c4d keeps SimTime exact. Writes go through a
 * buffered FILE; errors are reported by write and close rather than lost.
 * Rejected: linking libpcap (a dependency for 40 lines of format).
 */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/core/simtime.h"

#define SIM_PCAP_MAGIC_NS 0xa1b23c4du
#define SIM_PCAP_SNAPLEN 262144u
#define SIM_PCAP_LINKTYPE_ETHERNET 1u
/* The last time a classic record header can hold (32-bit seconds). */
#define SIM_PCAP_LAST_TIME ((SimTime)UINT32_MAX * SIM_SEC + (SIM_SEC - 1))

#define SIM_PCAP_ERROR (sim_pcap_error_quark())
GQuark sim_pcap_error_quark(void);
typedef enum { SIM_PCAP_ERROR_IO } SimPcapError;

typedef struct _SimPcap SimPcap;

/* Creates (truncates) path and writes the file header. An existing
 * symbolic link at path is refused (O_NOFOLLOW), never followed. */
SimPcap *sim_pcap_open(const char *path, GError **error);
/* Appends one record stamped t; frames longer than the snap length are cut
 * (orig_len keeps the real length). FALSE once the underlying file failed,
 * or when t is past 2^32 s, which the classic format cannot stamp: the
 * file then stops, and close reports why. */
gboolean sim_pcap_write(SimPcap *pc, SimTime t, const uint8_t *frame, size_t len);
/* Flushes and closes; NULL is a no-op. */
void sim_pcap_close(SimPcap *pc);
/* Flushes and closes, reporting a write error that happened on the way. */
gboolean sim_pcap_close_checked(SimPcap *pc, GError **error);
/* Records written so far. */
uint64_t sim_pcap_count(const SimPcap *pc);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimPcap, sim_pcap_close)
