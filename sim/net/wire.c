/* wire.c - the decode error domain shared by the header codecs. */
#include "sim/net/wire.h"

// clang-format off: it would put spaces into the quark's name
G_DEFINE_QUARK(sim-wire-error-quark, sim_wire_error)
// clang-format on
