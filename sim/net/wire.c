/* wire.c - the decode error domain shared by the header codecs. */
#include "sim/net/wire.h"

G_DEFINE_QUARK(sim - wire - error - quark, sim_wire_error)
