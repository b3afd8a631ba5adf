#include "json_log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <array>
#include <cstdio>
#include <random>

namespace batch {
namespace {

// spdlog writes the timestamp and level; the event's members follow inside the same object.
constexpr char kPattern[] = R"({"ts":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l",%v})";

std::shared_ptr<spdlog::logger> MakeLogger(std::shared_ptr<spdlog::sinks::sink> sink) {
  if (!sink) sink = std::make_shared<spdlog::sinks::stdout_sink_st>();
  auto logger = std::make_shared<spdlog::logger>("sample-batch", std::move(sink));
  logger->set_pattern(kPattern, spdlog::pattern_time_type::utc);
  logger->set_level(spdlog::level::info);
  logger->flush_on(spdlog::level::info);
  return logger;
}

}  // namespace

Event& Event::Str(std::string_view key, std::string_view value) {
  fields_.push_back({std::string(key), std::string(value), true, true});
  return *this;
}

Event& Event::Fixed(std::string_view key, std::string_view value) {
  fields_.push_back({std::string(key), std::string(value), true, false});
  return *this;
}

Event& Event::Int(std::string_view key, int64_t value) {
  fields_.push_back({std::string(key), std::to_string(value), false, false});
  return *this;
}

Event& Event::Bool(std::string_view key, bool value) {
  fields_.push_back({std::string(key), value ? "true" : "false", false, false});
  return *this;
}

Log::Log(std::string run_id, std::string job, const Redactor* redactor,
         std::shared_ptr<spdlog::sinks::sink> sink)
    : run_id_(std::move(run_id)),
      job_(std::move(job)),
      redactor_(redactor),
      logger_(MakeLogger(std::move(sink))) {}

std::string Log::Render(const Event& event) const {
  std::string out;
  auto member = [&out](std::string_view key) {
    if (!out.empty()) out += ',';
    AppendJsonString(out, key);
    out += ':';
  };
  auto scrubbed = [this](std::string_view value) { return redactor_->Scrub(value); };
  member("event");
  AppendJsonString(out, event.name_);
  member("run_id");
  AppendJsonString(out, run_id_);
  member("job");
  AppendJsonString(out, scrubbed(job_));
  for (const Event::Field& field : event.fields_) {
    member(field.key);
    if (field.is_string) {
      AppendJsonString(out, field.redact ? scrubbed(field.value) : field.value);
    } else {
      out += field.value;
    }
  }
  return out;
}

void Log::Info(const Event& event) { logger_->info(Render(event)); }
void Log::Warn(const Event& event) { logger_->warn(Render(event)); }
void Log::Error(const Event& event) { logger_->error(Render(event)); }

namespace {

// The length of the well-formed UTF-8 sequence at the start of `text` (RFC 3629), 0 if none.
size_t Utf8SequenceLength(std::string_view text) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  auto continuation = [&](size_t i) { return i < text.size() && (byte(i) & 0xC0) == 0x80; };
  unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return continuation(1) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    if (!continuation(1) || !continuation(2)) return 0;
    if (lead == 0xE0 && byte(1) < 0xA0) return 0;  // overlong
    if (lead == 0xED && byte(1) > 0x9F) return 0;  // UTF-16 surrogate
    return 3;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    if (!continuation(1) || !continuation(2) || !continuation(3)) return 0;
    if (lead == 0xF0 && byte(1) < 0x90) return 0;  // overlong
    if (lead == 0xF4 && byte(1) > 0x8F) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view value) {
  out += '"';
  for (size_t i = 0; i < value.size();) {
    const char c = value[i];
    if (static_cast<unsigned char>(c) >= 0x80) {
      size_t length = Utf8SequenceLength(value.substr(i));
      if (length == 0) {
        out += "\ufffd";
        ++i;
      } else {
        out.append(value.substr(i, length));
        i += length;
      }
      continue;
    }
    ++i;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          std::array<char, 8> buf;
          std::snprintf(buf.data(), buf.size(), "\\u%04x", c);
          out += buf.data();
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

std::string NewRunId() {
  std::random_device device;
  std::array<uint8_t, 16> bytes;
  for (size_t i = 0; i < bytes.size(); i += 4) {
    uint32_t word = device();
    for (size_t j = 0; j < 4; ++j) bytes[i + j] = static_cast<uint8_t>(word >> (8 * j));
  }
  bytes[6] = (bytes[6] & 0x0f) | 0x40;  // version 4
  bytes[8] = (bytes[8] & 0x3f) | 0x80;  // RFC 4122 variant
  std::string out;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    std::array<char, 3> buf;
    std::snprintf(buf.data(), buf.size(), "%02x", bytes[i]);
    out += buf.data();
  }
  return out;
}

}  // namespace batch
