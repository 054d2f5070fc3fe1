#include "link/modem.hpp"

#include <algorithm>
#include <cstring>

#include "raserror.h"

namespace openras::link {
namespace {

bool starts_with(const std::string& s, const char* prefix) {
  return s.rfind(prefix, 0) == 0;
}

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

}  // namespace

ModemDialer::ModemDialer(ModemConfig config) : config_(std::move(config)) {}

void ModemDialer::send_command(const std::string& command, TimePoint now, Duration timeout) {
  std::string text = command + "\r";
  out_.emplace_back(text.begin(), text.end());
  pending_command_ = command;
  deadline_ = now + timeout;
}

void ModemDialer::start(TimePoint now) {
  status_ = Status::Initializing;
  next_init_ = 0;
  if (config_.init.empty()) {
    status_ = Status::Dialing;
    send_command((config_.pulse ? "ATDP" : "ATDT") + config_.number, now, config_.connect_timeout);
    return;
  }
  send_command(config_.init[next_init_++], now, config_.command_timeout);
}

void ModemDialer::fail(std::uint32_t error) {
  status_ = Status::Failed;
  error_ = error;
  deadline_.reset();
}

void ModemDialer::feed(const std::uint8_t* data, std::size_t n, TimePoint now) {
  for (std::size_t i = 0; i < n; ++i) {
    if (status_ == Status::Connected) {
      after_connect_.insert(after_connect_.end(), data + i, data + n);
      return;
    }
    char c = static_cast<char>(data[i]);
    if (c == '\r' || c == '\n') {
      std::string line = trim(line_);
      line_.clear();
      if (!line.empty()) on_line(line, now);
      // The CONNECT line's own CR LF is not PPP's.
      if (status_ == Status::Connected && c == '\r' && i + 1 < n && data[i + 1] == '\n') ++i;
    } else if (line_.size() < 256) {
      line_.push_back(c);
    }
  }
}

void ModemDialer::on_line(const std::string& line, TimePoint now) {
  if (line == pending_command_) return;  // the modem echoing our command
  switch (status_) {
    case Status::Initializing:
      if (line == "OK") {
        if (next_init_ < config_.init.size()) {
          send_command(config_.init[next_init_++], now, config_.command_timeout);
        } else {
          status_ = Status::Dialing;
          send_command((config_.pulse ? "ATDP" : "ATDT") + config_.number, now,
                       config_.connect_timeout);
        }
      } else if (line == "ERROR") {
        fail(ERROR_FROM_DEVICE);
      }
      return;
    case Status::Dialing:
      if (starts_with(line, "CONNECT")) {
        status_ = Status::Connected;
        deadline_.reset();
        std::string speed = trim(line.substr(7));
        connect_speed_ = static_cast<std::uint32_t>(std::strtoul(speed.c_str(), nullptr, 10));
      } else if (line == "BUSY") {
        fail(ERROR_LINE_BUSY);
      } else if (line == "NO CARRIER") {
        fail(ERROR_NO_CARRIER);
      } else if (line == "NO ANSWER") {
        fail(ERROR_NO_ANSWER);
      } else if (line == "NO DIALTONE" || line == "NO DIAL TONE") {
        fail(ERROR_NO_DIALTONE);
      } else if (line == "ERROR") {
        fail(ERROR_FROM_DEVICE);
      } else if (line == "VOICE") {
        fail(ERROR_VOICE_ANSWER);
      }
      // RING and anything else: keep waiting
      return;
    case Status::HangingUp:
      if (line == "OK" && hangup_step_ >= 3) {
        status_ = Status::HungUp;
        deadline_.reset();
      }
      return;
    default:
      return;
  }
}

void ModemDialer::on_timer(TimePoint now) {
  if (!deadline_ || now < *deadline_) return;
  deadline_.reset();
  switch (status_) {
    case Status::Initializing:
      fail(ERROR_DEVICE_NOT_READY);  // the modem never answered a command
      return;
    case Status::Dialing:
      fail(ERROR_NO_ANSWER);
      return;
    case Status::HangingUp:
      // +++ after a guard time of silence, another guard time, then ATH.
      if (hangup_step_ == 1) {
        out_.push_back({'+', '+', '+'});
        hangup_step_ = 2;
        deadline_ = now + config_.guard_time;
      } else if (hangup_step_ == 2) {
        send_command("ATH", now, config_.command_timeout);
        hangup_step_ = 3;
      } else {
        status_ = Status::HungUp;  // no OK: the DTR drop the manager does finishes the job
      }
      return;
    default:
      return;
  }
}

bool ModemDialer::poll_transmit(std::vector<std::uint8_t>& out) {
  if (out_.empty()) return false;
  out = std::move(out_.front());
  out_.pop_front();
  return true;
}

void ModemDialer::hang_up(TimePoint now) {
  if (status_ == Status::Connected) {
    status_ = Status::HangingUp;
    hangup_step_ = 1;
    deadline_ = now + config_.guard_time;
  } else if (status_ == Status::Initializing || status_ == Status::Dialing) {
    // Any character aborts a dial in progress; ATH makes sure.
    status_ = Status::HangingUp;
    hangup_step_ = 3;
    send_command("ATH", now, config_.command_timeout);
  } else {
    status_ = Status::HungUp;
  }
}

std::vector<std::uint8_t> ModemDialer::take_after_connect() {
  std::vector<std::uint8_t> out;
  out.swap(after_connect_);
  return out;
}

bool is_carrier_lost_text(const std::uint8_t* partial, std::size_t n) {
  std::string text(reinterpret_cast<const char*>(partial), std::min<std::size_t>(n, 32));
  auto b = text.find_first_not_of("\r\n");
  if (b == std::string::npos) return false;
  return text.compare(b, 10, "NO CARRIER") == 0;
}

}  // namespace openras::link
