// openras-bench: benchmarks that print their own baseline measured in the same run and the
// ratio against it (absolute times on shared machines vary from run to run).
#include <cstdio>
#include <cstring>
#include <string>

int bench_notify(int argc, char** argv);
int bench_framing(int argc, char** argv);
int bench_dial(int argc, char** argv);
int bench_pty_throughput(int argc, char** argv);
int bench_l2tp(int argc, char** argv);
int bench_l2tp_ipsec(int argc, char** argv);
int bench_sstp(int argc, char** argv);
int bench_ikev2(int argc, char** argv);
int bench_sessions(int argc, char** argv);

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: openras-bench notify [--events N] | framing | dial | pty-throughput | "
                 "l2tp | l2tp-ipsec | sstp | ikev2 | sessions [--counts 100,1000]\n");
    return 2;
  }
  std::string which = argv[1];
  if (which == "notify") return bench_notify(argc - 1, argv + 1);
  if (which == "framing") return bench_framing(argc - 1, argv + 1);
  if (which == "dial") return bench_dial(argc - 1, argv + 1);
  if (which == "pty-throughput") return bench_pty_throughput(argc - 1, argv + 1);
  if (which == "l2tp") return bench_l2tp(argc - 1, argv + 1);
  if (which == "l2tp-ipsec") return bench_l2tp_ipsec(argc - 1, argv + 1);
  if (which == "sstp") return bench_sstp(argc - 1, argv + 1);
  if (which == "ikev2") return bench_ikev2(argc - 1, argv + 1);
  if (which == "sessions") return bench_sessions(argc - 1, argv + 1);
  std::fprintf(stderr, "openras-bench: unknown benchmark '%s'\n", argv[1]);
  return 2;
}
