#include "pg_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <glob.h>
#include <grp.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace batch_test {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;

// The directory holding initdb and postgres: PATH first, then the newest
// /usr/lib/postgresql/*/bin.
fs::path FindServerBinaries() {
  if (const char* path = std::getenv("PATH")) {
    std::stringstream dirs(path);
    for (std::string dir; std::getline(dirs, dir, ':');) {
      if (!dir.empty() && access((fs::path(dir) / "initdb").c_str(), X_OK) == 0 &&
          access((fs::path(dir) / "postgres").c_str(), X_OK) == 0) {
        return dir;
      }
    }
  }
  glob_t found;
  fs::path best;
  if (glob("/usr/lib/postgresql/*/bin/initdb", 0, nullptr, &found) == 0) {
    for (size_t i = 0; i < found.gl_pathc; ++i) best = fs::path(found.gl_pathv[i]).parent_path();
    globfree(&found);
  }
  if (best.empty()) throw std::runtime_error("PostgreSQL server binaries (initdb) not found");
  return best;
}

int FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    throw std::runtime_error("cannot find a free loopback port");
  }
  close(fd);
  return ntohs(addr.sin_port);
}

// Starts argv as a child, optionally as another user, with stdout/stderr appended to `log`.
// With `die_with_parent` the child gets SIGQUIT (PostgreSQL's immediate shutdown) when this
// process dies.
pid_t Spawn(const std::vector<std::string>& argv, const fs::path& log, bool switch_user, uid_t uid,
            gid_t gid, bool die_with_parent) {
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid > 0) return pid;
  int out = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  int in = open("/dev/null", O_RDONLY);
  if (out < 0 || in < 0) _exit(126);
  dup2(in, 0);
  dup2(out, 1);
  dup2(out, 2);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  if (switch_user && (setgroups(0, nullptr) != 0 || setgid(gid) != 0 || setuid(uid) != 0)) {
    _exit(126);
  }
  // Set after setuid, which clears it.
  if (die_with_parent && (prctl(PR_SET_PDEATHSIG, SIGQUIT) != 0 || getppid() != parent)) {
    _exit(126);
  }
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  execv(args[0], args.data());
  _exit(127);
}

// Waits for `pid` until `deadline`; returns its wait status, or -1 on timeout.
int WaitUntil(pid_t pid, Clock::time_point deadline) {
  for (;;) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return status;
    if (Clock::now() > deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void KillAndReap(pid_t pid, int sig, std::chrono::seconds grace) {
  kill(pid, sig);
  if (WaitUntil(pid, Clock::now() + grace) == -1) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }
}

}  // namespace

PgServer::PgServer() : bin_dir_(FindServerBinaries()), switch_user_(geteuid() == 0) {
  uid_ = geteuid();
  gid_ = getegid();
  if (switch_user_) {
    if (getpwnam(kUser) == nullptr &&
        std::system("useradd --system --no-create-home --shell /usr/sbin/nologin postgres") != 0) {
      throw std::runtime_error("cannot create the postgres OS user");
    }
    passwd* pw = getpwnam(kUser);
    if (pw == nullptr) throw std::runtime_error("no postgres OS user");
    uid_ = pw->pw_uid;
    gid_ = pw->pw_gid;
  }
  // As root, always /tmp: a TMPDIR under /root would not be reachable by the postgres user.
  const char* tmp = std::getenv("TMPDIR");
  std::string parent = tmp && *tmp && !switch_user_ ? tmp : "/tmp";
  std::string pattern = parent + "/batch-pg-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  fs::path pwfile = dir_ / "pwfile";
  std::ofstream(pwfile) << kPassword << "\n";
  if (switch_user_ &&
      (chown(dir_.c_str(), uid_, gid_) != 0 || chown(pwfile.c_str(), uid_, gid_) != 0)) {
    throw std::runtime_error("chown of " + dir_.string() + " failed");
  }
  pid_t initdb = Spawn(
      {(bin_dir_ / "initdb").string(), "-D", (dir_ / "data").string(), "-U", kUser, "-A",
       "scram-sha-256", "--pwfile=" + pwfile.string(), "--no-sync", "-E", "UTF8", "--locale=C"},
      dir_ / "initdb.log", switch_user_, uid_, gid_, true);
  int status = WaitUntil(initdb, Clock::now() + std::chrono::seconds(120));
  if (status == -1) KillAndReap(initdb, SIGKILL, std::chrono::seconds(5));
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::ifstream log(dir_ / "initdb.log");
    std::string text((std::istreambuf_iterator<char>(log)), {});
    fs::remove_all(dir_);
    throw std::runtime_error("initdb failed:\n" + text);
  }
  for (int attempt = 0; attempt < 5; ++attempt) {
    port_ = FreeLoopbackPort();
    if (TryStart()) return;
  }
  std::string log = ServerLog();
  fs::remove_all(dir_);
  throw std::runtime_error("postgres did not start:\n" + log);
}

PgServer::~PgServer() {
  if (pid_ > 0) KillAndReap(pid_, SIGQUIT, std::chrono::seconds(10));
  std::error_code ignored;
  fs::remove_all(dir_, ignored);
}

bool PgServer::TryStart() {
  pid_ = Spawn({(bin_dir_ / "postgres").string(), "-D", (dir_ / "data").string(), "-p",
                std::to_string(port_), "-k", dir_.string(), "-c", "listen_addresses=127.0.0.1",
                "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "max_connections=40"},
               dir_ / "server.log", switch_user_, uid_, gid_, true);
  const std::string ping =
      "host=127.0.0.1 port=" + std::to_string(port_) + " dbname=postgres connect_timeout=2";
  const Clock::time_point deadline = Clock::now() + std::chrono::seconds(60);
  while (Clock::now() < deadline) {
    if (PQping(ping.c_str()) == PQPING_OK) return true;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {  // e.g. the port was taken meanwhile
      pid_ = -1;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  KillAndReap(pid_, SIGQUIT, std::chrono::seconds(10));
  pid_ = -1;
  return false;
}

void PgServer::Start() {
  if (pid_ > 0) return;
  for (int attempt = 0; attempt < 5; ++attempt) {
    if (TryStart()) return;
  }
  throw std::runtime_error("postgres did not restart on port " + std::to_string(port_) + ":\n" +
                           ServerLog());
}

void PgServer::Stop() {
  if (pid_ <= 0) return;
  KillAndReap(pid_, SIGINT, std::chrono::seconds(30));
  pid_ = -1;
}

std::string PgServer::ConnInfo(const std::string& dbname) const {
  return "host=127.0.0.1 port=" + std::to_string(port_) + " dbname=" + dbname + " user=" + kUser +
         " password='" + kPassword + "' connect_timeout=10";
}

std::string PgServer::ServerLog() const {
  std::ifstream log(dir_ / "server.log");
  return std::string((std::istreambuf_iterator<char>(log)), {});
}

TestDb::TestDb(const std::string& conninfo) : conn_(PQconnectdb(conninfo.c_str())) {
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn_);
    PQfinish(conn_);
    throw std::runtime_error("test connection failed: " + message);
  }
  PQsetNoticeProcessor(
      conn_, [](void*, const char*) {}, nullptr);
}

TestDb::~TestDb() { PQfinish(conn_); }

TestDb::Rows TestDb::Query(const std::string& sql, const std::vector<std::string>& params) {
  std::vector<const char*> values;
  for (const std::string& p : params) values.push_back(p.c_str());
  PGresult* res = params.empty() ? PQexec(conn_, sql.c_str())
                                 : PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()),
                                                nullptr, values.data(), nullptr, nullptr, 0);
  ExecStatusType status = PQresultStatus(res);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    std::string message = PQresultErrorMessage(res);
    PQclear(res);
    throw std::runtime_error("query failed: " + message + "in: " + sql);
  }
  Rows rows;
  for (int r = 0; r < PQntuples(res); ++r) {
    std::vector<std::string>& row = rows.emplace_back();
    for (int c = 0; c < PQnfields(res); ++c) {
      row.push_back(PQgetisnull(res, r, c) ? "NULL" : PQgetvalue(res, r, c));
    }
  }
  PQclear(res);
  return rows;
}

std::string TestDb::Scalar(const std::string& sql, const std::vector<std::string>& params) {
  Rows rows = Query(sql, params);
  if (rows.size() != 1 || rows[0].size() != 1) throw std::runtime_error("not one value: " + sql);
  return rows[0][0];
}

std::string Render(const TestDb::Rows& rows) {
  std::string out;
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) out += (i ? "|" : "") + row[i];
    out += "\n";
  }
  return out;
}

}  // namespace batch_test
