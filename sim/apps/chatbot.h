/* chatbot.h - the seed tutorial's case study "智障客服" (a keyword
 * customer-service bot): `service chatbot tcp PORT rules FILE` and the
 * client verb `chat`.
 *
 * Framing: one message per line. Each side reads bytes into a per-
 * connection buffer and acts on every complete line (ended by \n, a \r
 * before it dropped), so a line split across segments, or several lines in
 * one segment, work alike. A line is at most SIM_CHAT_LINE_MAX bytes; a
 * longer one gets the answer "(line too long)" and is discarded up to its
 * end, so a client cannot make the server buffer without bound.
 *
 * Rules file (UTF-8 text, one rule a line; blank lines and lines starting
 * with # ignored):
 *     KEYWORD => ANSWER
 *     * => DEFAULT ANSWER
 * Matching: a message matches a keyword if it contains it, compared after
 * Unicode case folding (g_utf8_casefold, so "Price" matches "price"; Chinese
 * is unaffected). Among matching keywords the longest (in characters) wins,
 * so "退货地址" beats "退货"; equal lengths go to the earlier rule. No match
 * gives the default answer (built in: "Sorry, I do not understand." when
 * the file has no `*` rule). Rejected: word-segmentation or regular
 * expressions, which a class reading the rules file would need explained.
 *
 * Ownership: services and clients are adopted by the node's IP stack;
 * connection state is freed when its pcb is given up.
 */
#pragma once

#include "sim/link/node.h"
#include "sim/net/addr.h"
#include "sim/core/simtime.h"

#include <glib.h>

#define SIM_CHAT_LINE_MAX 4096
#define SIM_CHAT_RULES_MAX (1 << 20) /* bytes of a rules file */

typedef struct _SimChatRules SimChatRules;

/* Reads and checks a rules file; errors are "FILE:LINE: why". */
SimChatRules *sim_chat_rules_load(const char *path, GError **error);
void sim_chat_rules_free(SimChatRules *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimChatRules, sim_chat_rules_free)
/* The answer to one message (borrowed from r); *keyword is the matched
 * keyword or NULL for the default. */
const char *sim_chat_rules_answer(const SimChatRules *r, const char *msg, const char **keyword);

/* The bot on TCP port of node, answering from the rules file at path. */
gboolean sim_chatbot_start(SimNode *node, uint16_t port, const char *path, GError **error);
/* A client: connects to dst:port, sends lines[0] at once and each next one
 * `every` later over the same connection, prints each answer, and closes
 * once every line is answered. */
gboolean sim_chat_start(SimNode *node, SimIpv4 dst, uint16_t port, const char *const *lines,
                        SimTime every, GError **error);
