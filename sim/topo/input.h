/* input.h - reading a topology file with a bound.
 *
 * A topology is text a person wrote: kilobytes, a generated benchmark of
 * 20,000 hosts about 1 MB. Reading had no bound (`netsim check /dev/zero`
 * read 4.2 GB before failing) and accepted any file type. Now:
 *   - "-" reads standard input, whatever it is (pipe, terminal, file);
 *   - any other path must be a regular file (not a device, FIFO or
 *     directory: /dev/zero never ends, a FIFO may block forever);
 *   - at most max_bytes are read: a regular file's size is checked before
 *     reading, standard input is read in chunks until the bound is passed.
 * Cost: one fstat and one read of the file. Rejected: mmap (the parser
 * wants a NUL-terminated copy anyway, and a file truncated under us would
 * raise SIGBUS).
 */
#pragma once

#include <glib.h>

/* The default bound; `netsim` takes NETSIM_MAX_INPUT_MB from the
 * environment to change it (sim/cli/load.c). */
#define SIM_TOPO_MAX_INPUT_DEFAULT ((gsize)64 << 20)

/* Reads path ("-": standard input) into a NUL-terminated *text of *len
 * bytes (caller frees). FALSE with a message ("not a regular file ...",
 * "larger than the 64 MB input limit ...", or the system's reason) in
 * error. */
gboolean sim_topo_read_input(const char *path, gsize max_bytes, char **text, gsize *len,
                             GError **error);
