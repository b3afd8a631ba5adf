#include "tcp_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <stdexcept>
#include <string>
#include <vector>

namespace batch_test {
namespace {

sockaddr_in Loopback(int port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

// Writes all of `data`; false when the peer is gone.
bool SendAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = send(fd, data, size, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

TcpProxy::TcpProxy(int target_port) : target_port_(target_port) {
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr = Loopback(0);
  if (listen_fd_ < 0 || bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      listen(listen_fd_, 16) != 0) {
    throw std::runtime_error("TcpProxy: cannot listen: " + std::to_string(errno));
  }
  socklen_t length = sizeof(addr);
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &length);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { Loop(); });
}

TcpProxy::~TcpProxy() {
  stop_ = true;
  thread_.join();
  close(listen_fd_);
}

void TcpProxy::Loop() {
  struct Pair {
    int client, server;
  };
  std::vector<Pair> pairs;
  std::vector<int> silent;  // accepted during the partition: never answered
  auto close_pair = [](Pair& pair) {
    close(pair.client);
    close(pair.server);
    pair.client = pair.server = -1;
  };
  while (!stop_) {
    std::vector<pollfd> fds = {{listen_fd_, POLLIN, 0}};
    const bool relay = !partitioned_;
    if (relay) {
      for (const Pair& pair : pairs) {
        fds.push_back({pair.client, POLLIN, 0});
        fds.push_back({pair.server, POLLIN, 0});
      }
    }
    if (poll(fds.data(), fds.size(), 50) <= 0) continue;
    if (fds[0].revents & POLLIN) {
      int client = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (client >= 0 && partitioned_) {
        silent.push_back(client);
      } else if (client >= 0) {
        int server = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr = Loopback(target_port_);
        if (connect(server, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
          pairs.push_back({client, server});
        } else {
          close(server);
          close(client);
        }
      }
    }
    if (!relay) continue;
    for (size_t i = 0; i < pairs.size() && 1 + 2 * i < fds.size(); ++i) {
      Pair& pair = pairs[i];
      for (int side = 0; side < 2 && pair.client >= 0; ++side) {
        if (fds[1 + 2 * i + side].revents == 0) continue;
        int from = side == 0 ? pair.client : pair.server;
        int to = side == 0 ? pair.server : pair.client;
        std::array<char, 65536> buffer;
        ssize_t n = read(from, buffer.data(), buffer.size());
        if (n <= 0 || !SendAll(to, buffer.data(), static_cast<size_t>(n))) close_pair(pair);
      }
    }
    std::erase_if(pairs, [](const Pair& pair) { return pair.client < 0; });
  }
  for (Pair& pair : pairs) close_pair(pair);
  for (int fd : silent) close(fd);
}

}  // namespace batch_test
