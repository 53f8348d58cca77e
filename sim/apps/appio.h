/* appio.h - what the socket applications of sim/apps (hello, chat bot,
 * upload) share: their console lines and Python's bytes repr.
 *
 * Design: an application's console output is a SIM_TR_APP trace record
 * from its node, one record per line; the text sink decides whether the
 * line is shown with a "node: " prefix (so several hosts' output stays
 * readable when interleaved), the JSON sink carries the node as a field.
 * The applications therefore never write the host name themselves.
 *
 * The seed's programs print what they receive with Python's print(bytes),
 * so sim_app_pyrepr() spells bytes exactly as CPython's bytes.__repr__
 * (Objects/bytesobject.c): b'...' quoted with ' unless the bytes hold ' and
 * no ", then with "; \\ \t \n \r and the quote escaped; other bytes below
 * 0x20 or from 0x7f up as \xNN in lower-case hex.
 */
#pragma once

#include "sim/link/node.h"

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

/* One line of application output from node (printf-style). */
void sim_app_line(SimNode *node, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Appends Python's repr() of the bytes data[0..len) to out. */
void sim_app_pyrepr(GString *out, const uint8_t *data, size_t len);
