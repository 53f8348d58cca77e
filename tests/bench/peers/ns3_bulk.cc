/* ns3_bulk.cc - the bulk-transfer benchmark on ns-3: a -- r1 -- r2 -- b,
 * three point-to-point links of 1 Gbps and 1 ms, a DropTail device queue
 * of 1000 packets (netsim's link default), BulkSendApplication on a sending
 * BYTES to a PacketSink on b, TcpNewReno, 1448-byte segments (ns-3's
 * default SegmentSize is 536), send and receive buffers of BUF bytes
 * (default 2 MiB; the netsim side sets the same), SACK
 * off (netsim has none), delayed ACK on (ns-3 default, every 2nd segment).
 *
 * Usage: ns3_bulk BYTES [BUF]
 * Output (one line): sim=ns3 bytes=B received=R wall_s=T sim_s=S events=E
 * wall_s covers build + Run + Destroy; peak RSS is left to /usr/bin/time -v.
 */
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/traffic-control-module.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>

using namespace ns3;

int main(int argc, char **argv)
{
    if (argc != 2 && argc != 3) {
        std::fprintf(stderr, "usage: ns3_bulk BYTES [BUF]\n");
        return 2;
    }
    uint64_t bytes = std::strtoull(argv[1], nullptr, 10);
    uint32_t buf = argc == 3 ? (uint32_t)std::strtoul(argv[2], nullptr, 10) : 2u << 20;
    auto t0 = std::chrono::steady_clock::now();
    Config::SetDefault("ns3::TcpL4Protocol::SocketType", StringValue("ns3::TcpNewReno"));
    Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(1448));
    Config::SetDefault("ns3::TcpSocket::SndBufSize", UintegerValue(buf));
    Config::SetDefault("ns3::TcpSocket::RcvBufSize", UintegerValue(buf));
    Config::SetDefault("ns3::TcpSocketBase::Sack", BooleanValue(false)); /* netsim has no SACK */
    NodeContainer n;
    n.Create(4);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("1Gbps"));
    p2p.SetChannelAttribute("Delay", StringValue("1ms"));
    p2p.SetQueue("ns3::DropTailQueue", "MaxSize", StringValue("1000p"));
    NetDeviceContainer d0 = p2p.Install(n.Get(0), n.Get(1));
    NetDeviceContainer d1 = p2p.Install(n.Get(1), n.Get(2));
    NetDeviceContainer d2 = p2p.Install(n.Get(2), n.Get(3));
    InternetStackHelper inet;
    inet.Install(n);
    Ipv4AddressHelper a;
    a.SetBase("10.0.1.0", "255.255.255.0");
    a.Assign(d0);
    a.SetBase("10.0.2.0", "255.255.255.0");
    a.Assign(d1);
    a.SetBase("10.0.3.0", "255.255.255.0");
    Ipv4InterfaceContainer i2 = a.Assign(d2);
    Ipv4GlobalRoutingHelper::PopulateRoutingTables();
    BulkSendHelper send("ns3::TcpSocketFactory", InetSocketAddress(i2.GetAddress(1), 9));
    send.SetAttribute("MaxBytes", UintegerValue(bytes));
    send.SetAttribute("SendSize", UintegerValue(65536));
    ApplicationContainer s = send.Install(n.Get(0));
    s.Start(Seconds(1.0));
    PacketSinkHelper sink("ns3::TcpSocketFactory", InetSocketAddress(Ipv4Address::GetAny(), 9));
    ApplicationContainer k = sink.Install(n.Get(3));
    k.Start(Seconds(0.0));
    Simulator::Run();
    uint64_t got = DynamicCast<PacketSink>(k.Get(0))->GetTotalRx();
    double sim_s = Simulator::Now().GetSeconds();
    uint64_t events = Simulator::GetEventCount();
    Simulator::Destroy();
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("sim=ns3 bytes=%llu received=%llu wall_s=%.3f sim_s=%.3f events=%llu\n",
                (unsigned long long)bytes, (unsigned long long)got, wall, sim_s,
                (unsigned long long)events);
    return got == bytes ? 0 : 1;
}
