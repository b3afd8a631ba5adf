#include "pg.h"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <thread>

namespace batch {
namespace {

using Clock = StopSignal::Clock;

constexpr auto kNoDeadline = std::chrono::hours(24 * 365);

std::string Trimmed(const char* message) {
  std::string text = message ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// Connection failures carry no SQLSTATE, so permanent ones are recognised by libpq's (English)
// message; everything else (refused, timed out, starting up, shutting down) is retried.
FailureKind ClassifyConnectFailure(std::string_view message) {
  static constexpr std::array<std::string_view, 7> kPermanent = {
      "authentication failed", "no pg_hba.conf entry", "does not exist",
      "does not support SSL",  "no password supplied", "invalid ",
      "unrecognized",
  };
  for (std::string_view needle : kPermanent) {
    if (message.find(needle) != std::string_view::npos) return FailureKind::kRejected;
  }
  return FailureKind::kTransient;
}

FailureKind ClassifyStatementFailure(const std::string& sqlstate, bool connection_lost,
                                     bool cancel_sent) {
  if (connection_lost || sqlstate.starts_with("08")) return FailureKind::kTransient;
  if (sqlstate == "57014") return cancel_sent ? FailureKind::kCancelled : FailureKind::kTimeout;
  static constexpr std::array<std::string_view, 6> kTransient = {
      "57P01", "57P02", "57P03",  // admin/crash shutdown, cannot connect now
      "53300",                    // too many connections
      "40001", "40P01",           // serialization failure, deadlock
  };
  if (std::find(kTransient.begin(), kTransient.end(), sqlstate) != kTransient.end()) {
    return FailureKind::kTransient;
  }
  return FailureKind::kStatement;
}

DbError StopError() { return DbError(FailureKind::kCancelled, "", std::string(kStopMessage)); }

}  // namespace

Connection Connection::Open(const ConnConfig& config, StopSignal& stop,
                            std::chrono::seconds timeout) {
  std::vector<const char*> keywords, values;
  for (const auto& [key, value] : config.defaults) {
    keywords.push_back(key.c_str());
    values.push_back(value.c_str());
  }
  for (const auto& [key, value] : config.params) {
    keywords.push_back(key.c_str());
    values.push_back(value.c_str());
  }
  keywords.push_back("fallback_application_name");
  values.push_back("sample-batch");
  keywords.push_back(nullptr);
  values.push_back(nullptr);

  if (stop.Stopped()) throw StopError();
  Connection conn(PQconnectStartParams(keywords.data(), values.data(), config.expand_dbname), stop);
  if (!conn.conn_) throw std::bad_alloc();
  PGconn* pg = conn.conn_.get();
  if (PQstatus(pg) == CONNECTION_BAD) {
    // libpq rejected the options before trying the network.
    throw DbError(FailureKind::kRejected, "", Trimmed(PQerrorMessage(pg)));
  }
  const Clock::time_point deadline = Clock::now() + timeout;
  PostgresPollingStatusType status = PGRES_POLLING_WRITING;
  while (status != PGRES_POLLING_OK) {
    if (status == PGRES_POLLING_FAILED) {
      std::string message = Trimmed(PQerrorMessage(pg));
      throw DbError(ClassifyConnectFailure(message), "", message);
    }
    short events = status == PGRES_POLLING_READING ? POLLIN : POLLOUT;
    switch (stop.Wait(PQsocket(pg), events, deadline)) {
      case StopSignal::WaitResult::kStopped:
        throw StopError();
      case StopSignal::WaitResult::kTimedOut:
        throw DbError(
            FailureKind::kTransient, "",
            "connection attempt timed out after " + std::to_string(timeout.count()) + "s");
      case StopSignal::WaitResult::kReady:
        break;
    }
    status = PQconnectPoll(pg);
  }
  return conn;
}

Result Connection::Exec(std::string_view sql, const Params& params) {
  return Run(sql, params, true);
}

Result Connection::ExecUncancellable(std::string_view sql, const Params& params) {
  return Run(sql, params, false);
}

void Connection::Cancel() {
  PGcancel* cancel = PQgetCancel(conn_.get());
  if (cancel == nullptr) return;
  // The thread owns `cancel`; if the process exits first, the OS reclaims both.
  std::thread([cancel] {
    std::array<char, 256> error;
    PQcancel(cancel, error.data(), static_cast<int>(error.size()));
    PQfreeCancel(cancel);
  }).detach();
}

void Connection::Abandon() {
  abandoned_ = true;
  if (PQsocket(conn_.get()) >= 0) shutdown(PQsocket(conn_.get()), SHUT_RDWR);
}

Result Connection::Run(std::string_view sql, const Params& params, bool cancellable) {
  if (cancellable && stop_->Stopped()) throw StopError();
  if (abandoned_) throw DbError(FailureKind::kTransient, "", "connection abandoned");
  PGconn* pg = conn_.get();
  const std::string text(sql);
  int sent;
  if (params.empty()) {
    sent = PQsendQuery(pg, text.c_str());
  } else {
    std::vector<const char*> values;
    for (const auto& param : params) values.push_back(param ? param->c_str() : nullptr);
    sent = PQsendQueryParams(pg, text.c_str(), static_cast<int>(values.size()), nullptr,
                             values.data(), nullptr, nullptr, 0);
  }
  if (!sent) {
    throw DbError(ok() ? FailureKind::kStatement : FailureKind::kTransient, "",
                  Trimmed(PQerrorMessage(pg)));
  }

  // Collect every result; the first error wins, otherwise the last result is returned. The
  // reply must come within reply_limit_; once a stop signal has arrived, within kStopBudget of
  // it.
  const Clock::time_point reply_deadline =
      Clock::now() + (reply_limit_ ? Clock::duration(*reply_limit_) : Clock::duration(kNoDeadline));
  auto deadline = [&] {
    return stop_->Stopped() ? std::min(reply_deadline, stop_->stop_time() + kStopBudget)
                            : reply_deadline;
  };
  bool cancel_sent = false;
  std::optional<Result> last;
  std::optional<DbError> error;
  for (;;) {
    while (PQisBusy(pg)) {
      auto waited = stop_->Wait(PQsocket(pg), POLLIN, deadline(), cancellable && !cancel_sent);
      if (waited == StopSignal::WaitResult::kStopped) {
        Cancel();
        cancel_sent = true;
        continue;
      }
      if (waited == StopSignal::WaitResult::kTimedOut) {
        Abandon();
        if (stop_->Stopped()) {
          throw DbError(FailureKind::kCancelled, "",
                        "no reply from the server within " + std::to_string(kStopBudget.count()) +
                            "s of the stop signal; connection abandoned");
        }
        throw DbError(FailureKind::kTransient, "",
                      "no reply from the server within " + std::to_string(reply_limit_->count()) +
                          "ms (statement_timeout + " + std::to_string(kReplyGrace.count()) +
                          "s); connection presumed lost");
      }
      if (!PQconsumeInput(pg)) break;
    }
    PGresult* raw = PQgetResult(pg);
    if (raw == nullptr) break;
    Result result(raw);
    ExecStatusType status = PQresultStatus(raw);
    if (status == PGRES_FATAL_ERROR || status == PGRES_BAD_RESPONSE ||
        status == PGRES_NONFATAL_ERROR) {
      if (!error) {
        const char* state = PQresultErrorField(raw, PG_DIAG_SQLSTATE);
        std::string sqlstate = state ? state : "";
        const char* primary = PQresultErrorField(raw, PG_DIAG_MESSAGE_PRIMARY);
        error.emplace(ClassifyStatementFailure(sqlstate, !ok(), cancel_sent), sqlstate,
                      Trimmed(primary ? primary : PQresultErrorMessage(raw)));
      }
    } else {
      last.emplace(std::move(result));
    }
  }
  if (error) throw *error;
  if (!last) throw DbError(FailureKind::kTransient, "", Trimmed(PQerrorMessage(pg)));
  return std::move(*last);
}

}  // namespace batch
