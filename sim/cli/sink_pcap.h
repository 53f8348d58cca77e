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
 * Design: every interface the world has when the sink is made gets its
 * file then, before the run (in node and interface order, which also
 * settles name collisions), so an unwritable directory or a symlink
 * planted under a capture's name (refused: files are opened O_NOFOLLOW) is
 * reported before any simulated time passes, every failed file named, and
 * no file is left behind. An interface that appears later (tests build
 * nodes after the sink) gets its file on its first frame. Files are found
 * through a hash keyed by (node, iface), the key built in a reused buffer,
 * so a frame costs one hash lookup and one buffered write.
 * I/O errors during the run cannot be reported from inside a trace
 * callback: each failed file stops being written, and sim_pcap_sink_close
 * names every one and removes it, so a truncated capture never passes for
 * a whole one. Files that saw no frame are removed at close too.
 * Rejected: opening lazily only (as before issue #12): a bad directory was
 * found after the whole run. Creating a fresh directory per run: users
 * point --pcap at the same DIR again and expect the files replaced.
 */
#pragma once

#include "sim/core/world.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct _SimPcapSink SimPcapSink;

/* Creates dir (and its parents) if needed, creates the file of every
 * interface in w, and subscribes to tx/rx records. Returns NULL with error
 * set (every failed file, one per line) when the directory or a file cannot
 * be created; files it did create are removed. */
SimPcapSink *sim_pcap_sink_new(SimWorld *w, const char *dir, GError **error);
/* Unsubscribes, flushes and closes every file, removes those that saw no
 * frame or failed, and returns FALSE with every I/O error of the run
 * (opening, writing or closing a file), one per line. The sink stays
 * allocated (counts and the remaining paths readable) until
 * sim_pcap_sink_free. */
gboolean sim_pcap_sink_close(SimPcapSink *s, GError **error);
/* Closes (if not yet closed, ignoring errors) and frees; NULL is a no-op.
 * Call before freeing the world. */
void sim_pcap_sink_free(SimPcapSink *s);

/* Files opened so far (after close: the files kept), and frames written
 * in all of them. */
guint sim_pcap_sink_n_files(const SimPcapSink *s);
uint64_t sim_pcap_sink_frames(const SimPcapSink *s);
/* Path of the i-th file, in order of opening. */
const char *sim_pcap_sink_path(const SimPcapSink *s, guint i);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimPcapSink, sim_pcap_sink_free)
