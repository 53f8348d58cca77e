/* ns3_hold.cc - the classic "hold" model run on ns-3's event scheduler.
 *
 * The peer for netsim's event-queue benchmark. P events are scheduled up
 * front; each event, when it fires, schedules exactly one new event at
 * now + Exp(mean 1 ms), so the pending set stays at P while E events fire.
 *
 * Why an inline RNG rather than ns3::ExponentialRandomVariable: netsim draws
 * from xoshiro256** seeded by splitmix64 and computes -mean * log(1 - u)
 * (sim/core/rng.c). The same generator, the same seed and the same
 * rounding (truncate to integer nanoseconds, ns-3's default resolution) give
 * both simulators the same increment sequence and the same per-event RNG cost,
 * so the comparison measures the schedulers, not ns-3's RngStream (MRG32k3a,
 * noticeably slower per draw).
 *
 * Timing: std::chrono::steady_clock around Simulator::Run() only. Prefill
 * (P Schedule calls) and Simulator::Destroy() are excluded from `seconds`;
 * prefill time is printed separately as prefill_seconds. The output line says
 * phase=run to make this explicit.
 *
 * Usage: ns3_hold PENDING [EVENTS [Map|Heap|Calendar|List [SEED]]]
 * Output (one line):
 *   scheduler=Map pending=P events=E seconds=S events_per_sec=R phase=run
 *   prefill_seconds=S2 ns3_event_count=C
 */
#include "ns3/core-module.h"

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

using namespace ns3;

namespace
{

/* xoshiro256** + splitmix64 seeding, bit-for-bit as in sim/core/rng.c. */
uint64_t g_s[4];

uint64_t Splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

inline uint64_t Rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void RngSeed(uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++) {
        g_s[i] = Splitmix64(&x);
    }
}

inline uint64_t RngU64()
{
    uint64_t result = Rotl(g_s[1] * 5, 7) * 9;
    uint64_t t = g_s[1] << 17;
    g_s[2] ^= g_s[0];
    g_s[3] ^= g_s[1];
    g_s[1] ^= g_s[2];
    g_s[0] ^= g_s[3];
    g_s[2] ^= t;
    g_s[3] = Rotl(g_s[3], 45);
    return result;
}

/* Exp(mean 1 ms) in integer nanoseconds. */
inline int64_t ExpIncrementNs()
{
    double u = (double)(RngU64() >> 11) * 0x1.0p-53;
    return (int64_t)(-1e6 * std::log(1.0 - u));
}

uint64_t g_fired = 0;
uint64_t g_target = 0;

void Hold()
{
    if (++g_fired >= g_target) {
        /* DefaultSimulatorImpl::Stop() only sets a flag: Run() returns after
         * this event, with the pending set still at P. */
        Simulator::Stop();
        return;
    }
    Simulator::Schedule(Time(ExpIncrementNs()), &Hold);
}

void Usage(const char *argv0)
{
    std::fprintf(stderr, "usage: %s PENDING [EVENTS [Map|Heap|Calendar|List [SEED]]]\n", argv0);
    std::exit(2);
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 5) {
        Usage(argv[0]);
    }
    char *end = nullptr;
    uint64_t pending = std::strtoull(argv[1], &end, 10);
    if (*end || pending == 0) {
        Usage(argv[0]);
    }
    uint64_t events = 5000000;
    if (argc > 2) {
        events = std::strtoull(argv[2], &end, 10);
        if (*end || events == 0) {
            Usage(argv[0]);
        }
    }
    std::string sched = argc > 3 ? argv[3] : "Map";
    if (sched != "Map" && sched != "Heap" && sched != "Calendar" && sched != "List") {
        Usage(argv[0]);
    }
    uint64_t seed = argc > 4 ? std::strtoull(argv[4], nullptr, 10) : 1;

    ObjectFactory factory;
    factory.SetTypeId("ns3::" + sched + "Scheduler");
    Simulator::SetScheduler(factory);
    RngSeed(seed);
    g_target = events;

    auto t0 = std::chrono::steady_clock::now();
    for (uint64_t i = 0; i < pending; i++) {
        Simulator::Schedule(Time(ExpIncrementNs()), &Hold);
    }
    auto t1 = std::chrono::steady_clock::now();
    Simulator::Run();
    auto t2 = std::chrono::steady_clock::now();
    uint64_t count = Simulator::GetEventCount();
    Simulator::Destroy();

    double prefill = std::chrono::duration<double>(t1 - t0).count();
    double run = std::chrono::duration<double>(t2 - t1).count();
    std::printf("scheduler=%s pending=%llu events=%llu seconds=%.6f "
                "events_per_sec=%.0f phase=run prefill_seconds=%.6f "
                "ns3_event_count=%llu\n",
                sched.c_str(), (unsigned long long)pending, (unsigned long long)g_fired, run,
                (double)g_fired / run, prefill, (unsigned long long)count);
    return g_fired == events ? 0 : 1;
}
