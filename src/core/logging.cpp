// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include "core/logging.hpp"

#include <ctm/core/log.hpp>

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

namespace ctm {
namespace {

spdlog::level::level_enum to_spdlog(log_level level) noexcept {
  return static_cast<spdlog::level::level_enum>(static_cast<int>(level));
}

log_level from_spdlog(spdlog::level::level_enum level) noexcept {
  return static_cast<log_level>(static_cast<int>(level));
}

// Forwards formatted records to the host's handler; swallows what the handler throws.
class handler_sink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  void set(log_handler handler) {
    std::lock_guard<std::mutex> lock(mutex_);
    handler_ = std::move(handler);
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    if (!handler_) return;
    try {
      handler_(from_spdlog(msg.level), std::string_view(msg.payload.data(), msg.payload.size()));
    } catch (...) {  // NOLINT(bugprone-empty-catch): logging never changes a result
    }
  }
  void flush_() override {}

 private:
  log_handler handler_;
};

struct logging_state {
  std::shared_ptr<handler_sink> sink = std::make_shared<handler_sink>();
  std::shared_ptr<spdlog::logger> own = std::make_shared<spdlog::logger>("ctm", sink);
  logging_state() { own->set_level(spdlog::level::warn); }
};

logging_state& state() {
  static logging_state s;
  return s;
}

}  // namespace

void set_log_handler(log_handler handler) { state().sink->set(std::move(handler)); }

void set_log_level(log_level level) { detail::logger().set_level(to_spdlog(level)); }

log_level get_log_level() noexcept { return from_spdlog(detail::logger().level()); }

bool parse_log_level(std::string_view text, log_level& out) noexcept {
  static constexpr std::array<std::pair<std::string_view, log_level>, 8> names{{
      {"trace", log_level::trace},
      {"debug", log_level::debug},
      {"info", log_level::info},
      {"warn", log_level::warn},
      {"warning", log_level::warn},
      {"error", log_level::error},
      {"critical", log_level::critical},
      {"off", log_level::off},
  }};
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto it =
      std::find_if(names.begin(), names.end(), [&](const auto& p) { return p.first == lower; });
  if (it == names.end()) return false;
  out = it->second;
  return true;
}

namespace detail {

spdlog::logger& logger() {
  // Resolved once: a host that wants its own spdlog logger registers "ctm" before using ctm.
  static const std::shared_ptr<spdlog::logger> resolved = [] {
    if (auto host = spdlog::get("ctm")) return host;
    return state().own;
  }();
  return *resolved;
}

}  // namespace detail
}  // namespace ctm
