/* upload.h - the seed tutorial's case study "文件上传" (file upload):
 * `service upload tcp PORT` and `upload FILE to TARGET:PORT [as NAME]`.
 *
 * Protocol (one connection per file): the client sends a header line
 *     UPLOAD <size> <sha256-hex> <name>\n
 * (size in decimal bytes, the SHA-256 of the content in 64 lower-case hex
 * digits, the name up to the end of the line), then exactly <size> bytes,
 * then half-closes. The server answers one line, `OK saved`, `OK verified`
 * (nothing written) or `ERR <why>`, and closes. A header is at most 512
 * bytes. SHA-256 is glib's GChecksum.
 *
 * What the server writes: nothing unless `netsim run --files-out DIR` gave
 * a directory (SimUploadOut). A name is refused if it is empty, longer than
 * 255 bytes, holds '/', '\\', "..", a control byte, or starts with '.', so
 * nothing lands outside DIR and nothing hidden is made; an existing file is
 * not replaced unless `--overwrite`. The bytes go to a temporary file in
 * DIR (".upload-XXXXXX", created with O_EXCL) that is renamed to the name
 * only after the size and SHA-256 check, so an upload that is cut off (a
 * link down for good, a reset, the run ending) never leaves a partial file
 * under the final name; the temporary file is removed then. A write error
 * (disk full) is an `ERR` answer and a failed run, with no file left.
 *
 * Trace: an `info` record every 10% of the bytes received, and on success
 * the app line `saved NAME (1,048,576 bytes, sha256 ok) in 0.91 s
 * simulated, 9.2 Mb/s` (`verified …` without --files-out), timed from the
 * accepted connection to the last byte.
 *
 * Ownership: services and clients are adopted by the node's IP stack; a
 * connection's state, open file included, is freed when its pcb is given
 * up or the world is freed.
 */
#pragma once

#include "sim/link/node.h"
#include "sim/net/addr.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#define SIM_UPLOAD_HEADER_MAX 512
#define SIM_UPLOAD_NAME_MAX 255

typedef struct {
    const char *dir; /* NULL: verify and count only; borrowed for the run */
    bool overwrite;
} SimUploadOut;

/* NULL if name is safe to create in a directory, else why not (static). */
const char *sim_upload_name_problem(const char *name);

gboolean sim_upload_service_start(SimNode *node, uint16_t port, const SimUploadOut *out,
                                  GError **error);
/* Sends data[0..len) (copied) under name to dst:port. */
gboolean sim_upload_start(SimNode *node, SimIpv4 dst, uint16_t port, const char *name, GBytes *data,
                          GError **error);
