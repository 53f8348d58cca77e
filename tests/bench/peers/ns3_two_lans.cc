/* ns3_two_lans.cc - the "two LANs behind one router" scale scenario on ns-3.
 *
 * Two LANs of N hosts each. Each host sits on its own port of one learning
 * switch per LAN; both switches uplink to one router. Every link is its own
 * two-device CsmaChannel (1 Gbps, 1 us), so CSMA never contends and each link
 * behaves like a full-duplex-ish point-to-point cable; every CsmaNetDevice has
 * a DropTail TxQueue of 1000 packets. A switch is a BridgeNetDevice (learning
 * on) over its ports. LAN A is 192.168.0.0/16, LAN B 192.169.0.0/16; host i
 * (0-based) is .0.0 + (i+1) in each, the router .255.254, and every host's
 * default route points at the router. Host i of A runs V4Ping to host i of B:
 * 56-byte payload, 10 ms apart, starting at 1 s + i * 10 us.
 *
 * ns-3 3.37's V4Ping has no Count attribute: it sends at start, then every
 * Interval until stopped, and StopApplication closes the raw socket. The app
 * stops at start + 10 * 10 ms; the stop event was scheduled at node init, so
 * at equal timestamps it runs before (and cancels) the 11th send. Exactly 10
 * requests go out and the 10th reply has 10 ms to come back (the RTT is tens
 * of microseconds). The simulation runs to last start + 100 ms + 1 s.
 *
 * Replies are counted on V4Ping's "Rtt" trace source (fires once per matched
 * echo reply). Events are Simulator::GetEventCount() (present in 3.37):
 * events popped from the scheduler by DefaultSimulatorImpl, including
 * cancelled ones, excluding Simulator::ScheduleDestroy events.
 *
 * Queueing: Ipv4AddressHelper::Assign installs ns-3's default pfifo_fast
 * queue disc (1000 packets) above every IP device. It is kept by default
 * because that is stock ns-3 and reproduces the reference figures
 * (27 MB at N=100, 101 MB and 9,812 replies at N=1000). --no-qdisc removes
 * it so each device has exactly one drop-tail queue of 1000 packets, as the
 * scenario text says; it changes memory, not events or replies, since no
 * queue ever fills.
 *
 * Missing replies are ns-3's ARP, not queue drops: each ARP request is
 * delayed by ArpL3Protocol::RequestJitter (uniform 0-10 ms) and an ArpCache
 * entry holds only PendingQueueSize = 3 packets while waiting, so when
 * resolution along the path takes over 30 ms the 4th ping is dropped.
 *
 * ns-3 skips checksum computation unless the global ChecksumEnabled is set;
 * --checksums sets it (netsim always computes real checksums).
 *
 * Usage: ns3_two_lans N [--no-qdisc] [--checksums]
 * Output (one line), times from std::chrono::steady_clock:
 *   sim=ns3 n=N wall_s=T events=E replies=R expected=10N setup_s=S run_s=U
 *   qdisc=none|pfifo_fast checksums=0|1
 * wall_s covers topology build + Run + Destroy; peak RSS is left to
 * /usr/bin/time -v.
 */
#include "ns3/bridge-module.h"
#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/internet-apps-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/traffic-control-module.h"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

using namespace ns3;

namespace
{

uint64_t g_replies = 0;

void OnRtt(Time)
{
    g_replies++;
}

struct Lan {
    NodeContainer hosts;
    Ptr<Node> sw;
    NetDeviceContainer hostDevs;
    NetDeviceContainer routerDev;
};

/* Host i <-> switch port i on its own channel, then the router uplink, then
 * the bridge over all switch ports. */
Lan BuildLan(const CsmaHelper &csma, Ptr<Node> router, uint32_t n)
{
    Lan lan;
    lan.hosts.Create(n);
    lan.sw = CreateObject<Node>();
    NetDeviceContainer ports;
    for (uint32_t i = 0; i < n; i++) {
        NetDeviceContainer link = csma.Install(NodeContainer(lan.hosts.Get(i), lan.sw));
        lan.hostDevs.Add(link.Get(0));
        ports.Add(link.Get(1));
    }
    NetDeviceContainer up = csma.Install(NodeContainer(router, lan.sw));
    lan.routerDev.Add(up.Get(0));
    ports.Add(up.Get(1));
    BridgeHelper bridge;
    bridge.Install(lan.sw, ports);
    return lan;
}

void AddressLan(Lan &lan, const char *net, bool keepQdisc)
{
    Ipv4AddressHelper addr;
    addr.SetBase(net, "255.255.0.0", "0.0.255.254");
    addr.Assign(lan.routerDev);
    addr.SetBase(net, "255.255.0.0", "0.0.0.1");
    addr.Assign(lan.hostDevs);
    if (!keepQdisc) {
        TrafficControlHelper tch;
        tch.Uninstall(lan.routerDev);
        tch.Uninstall(lan.hostDevs);
    }
    Ipv4Address gw(Ipv4Address(net).Get() | 0xfffe);
    Ipv4StaticRoutingHelper srh;
    for (uint32_t i = 0; i < lan.hosts.GetN(); i++) {
        Ptr<Ipv4> ipv4 = lan.hosts.Get(i)->GetObject<Ipv4>();
        /* Interface 0 is loopback, 1 the only CSMA device. */
        srh.GetStaticRouting(ipv4)->SetDefaultRoute(gw, 1);
    }
}

void Usage(const char *argv0)
{
    std::fprintf(stderr, "usage: %s N [--no-qdisc] [--checksums]\n", argv0);
    std::exit(2);
}

} // namespace

int main(int argc, char **argv)
{
    auto t0 = std::chrono::steady_clock::now();
    uint32_t n = 0;
    bool keepQdisc = true;
    bool checksums = false;
    for (int i = 1; i < argc; i++) {
        if (!std::strcmp(argv[i], "--no-qdisc")) {
            keepQdisc = false;
        } else if (!std::strcmp(argv[i], "--checksums")) {
            checksums = true;
        } else {
            char *end = nullptr;
            unsigned long v = std::strtoul(argv[i], &end, 10);
            if (*end || v == 0 || v > 65000) {
                Usage(argv[0]);
            }
            n = (uint32_t)v;
        }
    }
    if (n == 0) {
        Usage(argv[0]);
    }
    if (checksums) {
        GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));
    }

    CsmaHelper csma;
    csma.SetChannelAttribute("DataRate", DataRateValue(DataRate("1Gbps")));
    csma.SetChannelAttribute("Delay", TimeValue(MicroSeconds(1)));
    csma.SetQueue("ns3::DropTailQueue<Packet>", "MaxSize", StringValue("1000p"));

    Ptr<Node> router = CreateObject<Node>();
    Lan a = BuildLan(csma, router, n);
    Lan b = BuildLan(csma, router, n);

    InternetStackHelper stack;
    stack.Install(a.hosts);
    stack.Install(b.hosts);
    stack.Install(router);
    AddressLan(a, "192.168.0.0", keepQdisc);
    AddressLan(b, "192.169.0.0", keepQdisc);

    const Time first = Seconds(1);
    const Time interval = MilliSeconds(10);
    const uint32_t count = 10;
    for (uint32_t i = 0; i < n; i++) {
        Ipv4Address dst(Ipv4Address("192.169.0.0").Get() + i + 1);
        V4PingHelper ping(dst);
        ping.SetAttribute("Interval", TimeValue(interval));
        ping.SetAttribute("Size", UintegerValue(56));
        ApplicationContainer app = ping.Install(a.hosts.Get(i));
        Time start = first + MicroSeconds(10) * i;
        app.Start(start);
        app.Stop(start + interval * count);
        app.Get(0)->TraceConnectWithoutContext("Rtt", MakeCallback(&OnRtt));
    }
    Time end = first + MicroSeconds(10) * (n - 1) + interval * count + Seconds(1);
    Simulator::Stop(end);

    auto t1 = std::chrono::steady_clock::now();
    Simulator::Run();
    auto t2 = std::chrono::steady_clock::now();
    uint64_t events = Simulator::GetEventCount();
    Simulator::Destroy();
    auto t3 = std::chrono::steady_clock::now();

    using Sec = std::chrono::duration<double>;
    std::printf("sim=ns3 n=%u wall_s=%.3f events=%llu replies=%llu expected=%llu "
                "setup_s=%.3f run_s=%.3f qdisc=%s checksums=%d\n",
                n, Sec(t3 - t0).count(), (unsigned long long)events, (unsigned long long)g_replies,
                (unsigned long long)n * count, Sec(t1 - t0).count(), Sec(t2 - t1).count(),
                keepQdisc ? "pfifo_fast" : "none", checksums ? 1 : 0);
    return 0;
}
