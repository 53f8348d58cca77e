/* wire.c - the decode error domain shared by the header codecs. */
#include "sim/net/wire.h"

/* clang-format would put spaces into the quark's name. */
// clang-format off
G_DEFINE_QUARK(sim-wire-error-quark, sim_wire_error)
// clang-format on
