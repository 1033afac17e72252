// P5's anchor: the dumbbell bench/compare also runs in netstack4j's simulator (DumbbellSim).
// Senders l0, l1 -- router L ==(100 Mbit/s, 10 ms, 100-packet drop-tail queue)== router R -- receivers
// r0, r1; leaf links 1 Gbit/s, 1 ms. Bulk TCP (CUBIC, MSS 1448, SACK and timestamps, 4 MiB buffers as
// Linux's tcp_wmem maximum) from l_i to r_i for SECONDS of simulated time.
// Prints: RESULT <wall seconds> <CPU seconds> <goodput Mbit/s of both flows together> <simulated seconds>
// Build: g++ -O2 -o dumbbell dumbbell.cc $(pkg-config --cflags ns3-core) -lns3-point-to-point-layout
//        -lns3-internet -lns3-applications -lns3-point-to-point -lns3-traffic-control -lns3-network -lns3-core
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-layout-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/traffic-control-module.h"

using namespace ns3;

int main(int argc, char** argv) {
  double seconds = argc > 1 ? std::atof(argv[1]) : 30;
  Config::SetDefault("ns3::TcpL4Protocol::SocketType", StringValue("ns3::TcpCubic"));
  Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(1448));
  Config::SetDefault("ns3::TcpSocket::SndBufSize", UintegerValue(4 << 20));
  Config::SetDefault("ns3::TcpSocket::RcvBufSize", UintegerValue(6 << 20));
  Config::SetDefault("ns3::TcpSocket::DelAckCount", UintegerValue(2));

  PointToPointHelper leaf;
  leaf.SetDeviceAttribute("DataRate", StringValue("1Gbps"));
  leaf.SetChannelAttribute("Delay", StringValue("1ms"));
  PointToPointHelper bottleneck;
  bottleneck.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
  bottleneck.SetChannelAttribute("Delay", StringValue("10ms"));
  bottleneck.SetQueue("ns3::DropTailQueue", "MaxSize", StringValue("100p"));
  PointToPointDumbbellHelper d(2, leaf, 2, leaf, bottleneck);
  InternetStackHelper stack;
  d.InstallStack(stack);
  d.AssignIpv4Addresses(Ipv4AddressHelper("10.1.1.0", "255.255.255.0"), Ipv4AddressHelper("10.2.1.0", "255.255.255.0"),
                        Ipv4AddressHelper("10.3.1.0", "255.255.255.0"));
  // Only the device's 100-packet queue at the bottleneck, as in netstack4j's link (no qdisc in front).
  TrafficControlHelper tch;
  NetDeviceContainer core;
  core.Add(d.GetLeft()->GetDevice(0));
  core.Add(d.GetRight()->GetDevice(0));
  tch.Uninstall(core);
  Ipv4GlobalRoutingHelper::PopulateRoutingTables();

  ApplicationContainer sinks;
  for (uint32_t i = 0; i < 2; i++) {
    PacketSinkHelper sink("ns3::TcpSocketFactory", InetSocketAddress(Ipv4Address::GetAny(), 5201));
    sinks.Add(sink.Install(d.GetRight(i)));
    BulkSendHelper src("ns3::TcpSocketFactory", InetSocketAddress(d.GetRightIpv4Address(i), 5201));
    src.SetAttribute("MaxBytes", UintegerValue(0));
    src.SetAttribute("SendSize", UintegerValue(128 * 1024));
    src.Install(d.GetLeft(i)).Start(Seconds(0.1));
  }
  sinks.Start(Seconds(0));
  Simulator::Stop(Seconds(seconds));
  std::clock_t cpu0 = std::clock();
  auto t0 = std::chrono::steady_clock::now();
  Simulator::Run();
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  double cpu = double(std::clock() - cpu0) / CLOCKS_PER_SEC;
  uint64_t bytes = 0;
  for (uint32_t i = 0; i < sinks.GetN(); i++) {
    bytes += DynamicCast<PacketSink>(sinks.Get(i))->GetTotalRx();
  }
  std::printf("RESULT %.3f %.3f %.2f %.1f\n", wall, cpu, bytes * 8.0 / (seconds - 0.1) / 1e6, seconds);
  Simulator::Destroy();
  return 0;
}
