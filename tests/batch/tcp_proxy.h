#ifndef TESTS_BATCH_TCP_PROXY_H_
#define TESTS_BATCH_TCP_PROXY_H_

#include <atomic>
#include <thread>

namespace batch_test {

// A TCP relay on 127.0.0.1:<free port> to 127.0.0.1:<target_port>, run by one thread. Partition()
// simulates a silent network partition: from then on nothing is relayed in either direction, but
// every socket stays open (the kernel still acknowledges what arrives, so TCP keepalives see a
// live peer), and new connections are accepted and left unanswered.
class TcpProxy {
 public:
  explicit TcpProxy(int target_port);  // throws std::runtime_error
  ~TcpProxy();
  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;

  int port() const { return port_; }
  void Partition() { partitioned_ = true; }

 private:
  void Loop();

  int target_port_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> partitioned_{false};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace batch_test

#endif  // TESTS_BATCH_TCP_PROXY_H_
