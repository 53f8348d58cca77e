/* sink_pcap.h - per-interface capture files (`--pcap DIR`).
 *
 * Every interface that sends or receives a frame gets DIR/<node>-<iface>.pcap
 * (classic pcap, nanosecond timestamps, LINKTYPE_ETHERNET), holding what a
 * capture on that interface would show: each `tx` record is written to the
 * sending interface's file (stamped when its first bit leaves) and each `rx`
 * record to the receiving interface's file (stamped when its last bit has
 * arrived). Frames lost on the wire appear at the sender only; frames a NIC
 * filters out (not for us) still appear at the receiver, as in a
 * promiscuous capture. An interface that saw no frame gets no file.
 *
 * Characters of a name other than [A-Za-z0-9_.-] become '_' in the file
 * name; if two interfaces would share a file name, the later one (in order
 * of first frame, hence deterministic) gets a "-2", "-3", ... suffix.
 *
 * Design: files are opened lazily on an interface's first frame and found
 * again through a hash keyed by (node, iface); the key is built in a reused
 * buffer, so a frame costs one hash lookup and one buffered write.
 * Open order is kept in an array so that closing and error reporting are
 * deterministic. I/O errors during the run cannot be reported from inside
 * a trace callback: the first one is kept and returned by
 * sim_pcap_sink_close, and the sink stops writing to that file.
 */
#pragma once

#include "sim/core/world.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct _SimPcapSink SimPcapSink;

/* Creates dir (and its parents) if needed and subscribes to tx/rx records.
 * Returns NULL with error set when the directory cannot be created. */
SimPcapSink *sim_pcap_sink_new(SimWorld *w, const char *dir, GError **error);
/* Unsubscribes, flushes and closes every file, and returns FALSE with the
 * first I/O error of the run (opening, writing or closing a file). The sink
 * stays allocated (counts remain readable) until sim_pcap_sink_free. */
gboolean sim_pcap_sink_close(SimPcapSink *s, GError **error);
/* Closes (if not yet closed, ignoring errors) and frees; NULL is a no-op.
 * Call before freeing the world. */
void sim_pcap_sink_free(SimPcapSink *s);

/* Files opened so far, and frames written in all of them. */
guint sim_pcap_sink_n_files(const SimPcapSink *s);
uint64_t sim_pcap_sink_frames(const SimPcapSink *s);
/* Path of the i-th file, in order of first frame. */
const char *sim_pcap_sink_path(const SimPcapSink *s, guint i);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimPcapSink, sim_pcap_sink_free)
