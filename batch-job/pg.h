#ifndef BATCH_JOB_PG_H_
#define BATCH_JOB_PG_H_

#include <libpq-fe.h>

#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "conn_config.h"
#include "stop_signal.h"

namespace batch {

// What a database failure means for the job.
enum class FailureKind {
  kTransient,  // refused/lost connection, server shutting down or starting, too many clients,
               // serialization failure, deadlock: retried with backoff
  kRejected,   // the server or libpq refused the settings for good: credentials, unknown database
               // or role, SSL mode, invalid option
  kTimeout,    // statement_timeout fired
  kCancelled,  // a stop signal arrived: the statement was cancelled or never sent
  kStatement,  // any other SQL error
};

// DbError::what() of a statement refused (or cut short) because a stop signal had arrived.
inline constexpr std::string_view kStopMessage = "stop signal received";

// A failed connection attempt or statement. what() is libpq's message, which may quote
// connection parameters: it reaches logs only through Log, which scrubs secrets.
class DbError : public std::runtime_error {
 public:
  DbError(FailureKind kind, std::string sqlstate, const std::string& message)
      : std::runtime_error(message), kind_(kind), sqlstate_(std::move(sqlstate)) {}
  FailureKind kind() const { return kind_; }
  const std::string& sqlstate() const { return sqlstate_; }

 private:
  FailureKind kind_;
  std::string sqlstate_;
};

// A successful statement's result (owns the PGresult).
class Result {
 public:
  explicit Result(PGresult* result) : result_(result, &PQclear) {}
  int rows() const { return PQntuples(result_.get()); }
  int columns() const { return PQnfields(result_.get()); }
  bool IsNull(int row, int column) const { return PQgetisnull(result_.get(), row, column); }
  std::string Get(int row, int column) const { return PQgetvalue(result_.get(), row, column); }
  std::string ColumnName(int column) const { return PQfname(result_.get(), column); }

 private:
  std::unique_ptr<PGresult, decltype(&PQclear)> result_;
};

using Params = std::vector<std::optional<std::string>>;  // text-format; nullopt is SQL NULL

// One libpq connection driven through the asynchronous API, so every wait also watches the stop
// signal: a signal during a statement sends PQcancel, and the statement fails with kCancelled.
class Connection {
 public:
  // Connects within `timeout`; fallback_application_name is "sample-batch". Throws DbError
  // (kTransient, kRejected or kCancelled).
  static Connection Open(const ConnConfig& config, StopSignal& stop, std::chrono::seconds timeout);

  // Runs one statement with text parameters (or, with no parameters, a simple query that may
  // hold several statements). Throws DbError; kCancelled without sending when a stop signal has
  // already arrived.
  Result Exec(std::string_view sql, const Params& params = {});
  // Like Exec, but runs even after a stop signal and never cancels: for ROLLBACK and the record
  // of a cancelled run.
  Result ExecUncancellable(std::string_view sql, const Params& params = {});

  // Every statement's reply must arrive within `limit` (nullopt: no client-side limit), else
  // the connection is presumed lost (a silent network partition): it is abandoned and the
  // statement fails with kTransient. The job sets statement_timeout + kReplyGrace.
  void set_reply_limit(std::optional<std::chrono::milliseconds> limit) { reply_limit_ = limit; }

  bool ok() const { return !abandoned_ && PQstatus(conn_.get()) == CONNECTION_OK; }
  int server_version() const { return PQserverVersion(conn_.get()); }
  // Whether the session is encrypted with TLS.
  bool tls() const { return PQsslInUse(conn_.get()) != 0; }

  // How long the server may take, after statement_timeout, to report it.
  static constexpr std::chrono::seconds kReplyGrace{5};
  // After a stop signal, how long the job waits in all for the cancelled statement, the rollback
  // and the run record before it abandons the connection (the server then rolls back on its
  // own). Leaves SIGTERM's documented exit well inside 10 s.
  static constexpr std::chrono::seconds kStopBudget{6};

 private:
  Connection(PGconn* conn, StopSignal& stop) : conn_(conn, &PQfinish), stop_(&stop) {}
  Result Run(std::string_view sql, const Params& params, bool cancellable);
  // Sends the cancel request from a detached thread: PQcancel blocks on its own connection,
  // which a partition could hold forever. The waits that follow are bounded by kStopBudget.
  void Cancel();
  // Shuts the socket down so that nothing more is sent or awaited; ok() is false afterwards.
  void Abandon();

  std::unique_ptr<PGconn, decltype(&PQfinish)> conn_;
  StopSignal* stop_;
  std::optional<std::chrono::milliseconds> reply_limit_;
  bool abandoned_ = false;
};

}  // namespace batch

#endif  // BATCH_JOB_PG_H_
