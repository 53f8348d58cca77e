/* dissect_app.h - one-line summaries of the application messages netsim
 * speaks on UDP (DHCP on 67/68, DNS on 53), appended to the UDP summary
 * so that a stepper or text trace reads "DHCPOFFER 192.168.10.100 xid=…"
 * rather than only ports and lengths, as Wireshark's Info column does.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Writes " DHCPDISCOVER xid=0x…", " DNS query id=0x… A www.example.com",
 * " DNS response … NXDOMAIN" or nothing (buf[0] = 0) into buf (cap >= 1).
 * A payload that does not parse reads " (malformed DHCP)" / "(… DNS)". */
void sim_dissect_app_udp(uint16_t sport, uint16_t dport, const uint8_t *payload, size_t len,
                         char *buf, size_t cap);
