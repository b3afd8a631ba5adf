#ifndef TESTS_BATCH_PG_SERVER_H_
#define TESTS_BATCH_PG_SERVER_H_

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

struct pg_conn;  // libpq's PGconn

namespace batch_test {

// A throwaway PostgreSQL server owned by one test process: initdb into a fresh temporary
// directory (as the `postgres` OS user when running as root, creating that user if missing,
// because the server refuses root), scram-sha-256 password authentication on
// 127.0.0.1:<free port>, unix sockets in the same directory. The postmaster is a direct child
// started with PR_SET_PDEATHSIG, so it dies even if the test process is killed; the destructor
// stops it and removes the directory. Every wait is bounded.
class PgServer {
 public:
  static constexpr char kUser[] = "postgres";
  static constexpr char kPassword[] = "Pw-q7Z!x9 secret";

  PgServer();  // throws std::runtime_error (with the server log) on failure
  ~PgServer();
  PgServer(const PgServer&) = delete;
  PgServer& operator=(const PgServer&) = delete;

  // Starts the postmaster on port() and waits until it accepts connections.
  void Start();
  // Fast shutdown (clients get SQLSTATE 57P01), waiting until the postmaster has exited.
  void Stop();
  bool running() const { return pid_ > 0; }
  int port() const { return port_; }
  // A libpq keyword/value connection string for `dbname` as the superuser.
  std::string ConnInfo(const std::string& dbname) const;
  std::string ServerLog() const;

 private:
  bool TryStart();

  std::filesystem::path dir_;
  std::filesystem::path bin_dir_;
  uid_t uid_;
  gid_t gid_;
  bool switch_user_;
  int port_ = 0;
  pid_t pid_ = -1;
};

// A verification connection (libpq), independent of the code under test.
class TestDb {
 public:
  using Rows = std::vector<std::vector<std::string>>;  // text values; SQL NULL is "NULL"

  explicit TestDb(const std::string& conninfo);
  ~TestDb();
  TestDb(const TestDb&) = delete;
  TestDb& operator=(const TestDb&) = delete;

  // Runs one statement (or a parameterless script); throws std::runtime_error on error.
  Rows Query(const std::string& sql, const std::vector<std::string>& params = {});
  std::string Scalar(const std::string& sql, const std::vector<std::string>& params = {});

 private:
  ::pg_conn* conn_;
};

// Rows rendered one per line, fields separated by '|': easy to compare and to print.
std::string Render(const TestDb::Rows& rows);

}  // namespace batch_test

#endif  // TESTS_BATCH_PG_SERVER_H_
