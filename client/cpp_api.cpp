// The C++ API (include/openras/openras.hpp), built on the C functions.
#include <map>
#include <mutex>
#include <utility>

#include "client/util.hpp"
#include "common/ras_errors.hpp"
#include "openras/openras.hpp"

namespace openras {

struct Connection::State {
  HRASCONN handle = nullptr;
  Callback callback;
  std::deque<StateChange> pending;  // for awaiters
  std::coroutine_handle<> waiter;
  std::uint64_t id = 0;
  ~State();
};

namespace {

// The notifier holds an id, never a pointer: a Connection dropped while its notifications are
// still queued must not be reached.
std::mutex g_registry_mutex;
std::map<std::uint64_t, std::weak_ptr<Connection::State>> g_registry;
std::uint64_t g_next_id = 1;

DWORD WINAPI on_event(ULONG_PTR id, DWORD, HRASCONN, UINT, RASCONNSTATE state, DWORD error,
                      DWORD extended) {
  std::shared_ptr<Connection::State> s;
  {
    std::lock_guard lock(g_registry_mutex);
    auto it = g_registry.find(id);
    if (it != g_registry.end()) s = it->second.lock();
  }
  if (!s) return 0;
  StateChange change{state, make_ras_error_code(error), extended};
  if (s->callback) s->callback(change);
  if (s->waiter || !s->callback) s->pending.push_back(change);
  if (auto w = std::exchange(s->waiter, nullptr)) w.resume();
  return 1;
}

RASDIALPARAMSA make_params(const DialRequest& r, std::uint64_t id) {
  RASDIALPARAMSA p{};
  p.dwSize = sizeof(p);
  client::copy_field(p.szEntryName, r.entry);
  client::copy_field(p.szPhoneNumber, r.phone_number);
  client::copy_field(p.szUserName, r.user);
  client::copy_field(p.szPassword, r.password);
  client::copy_field(p.szDomain, r.domain);
  p.dwCallbackId = static_cast<ULONG_PTR>(id);
  return p;
}

std::shared_ptr<Connection::State> new_state(Connection::Callback callback) {
  auto s = std::make_shared<Connection::State>();
  s->callback = std::move(callback);
  std::lock_guard lock(g_registry_mutex);
  s->id = g_next_id++;
  g_registry[s->id] = s;
  return s;
}

}  // namespace

Connection::State::~State() {
  std::lock_guard lock(g_registry_mutex);
  g_registry.erase(id);
}

const std::error_category& ras_category() noexcept {
  return openras::ras_category_impl();
}

Connection::Connection(Connection&& other) noexcept : state_(std::move(other.state_)) {}

Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    hang_up();
    state_ = std::move(other.state_);
  }
  return *this;
}

Connection::~Connection() {
  hang_up();
}

Connection Connection::dial(const DialRequest& request, Callback on_state, std::error_code& ec) {
  Connection c;
  c.state_ = new_state(std::move(on_state));
  RASDIALPARAMSA params = make_params(request, c.state_->id);
  RASDIALEXTENSIONS ext{};
  ext.dwSize = sizeof(ext);
  ext.dwfOptions = request.options;
  DWORD error = RasDialA(&ext, request.phonebook.empty() ? nullptr : request.phonebook.c_str(),
                         &params, 2, reinterpret_cast<LPVOID>(&on_event), &c.state_->handle);
  std::fill(std::begin(params.szPassword), std::end(params.szPassword), '\0');
  ec = make_ras_error_code(error);
  return c;
}

Connection Connection::dial_sync(const DialRequest& request, std::error_code& ec) {
  Connection c;
  c.state_ = new_state(nullptr);
  RASDIALPARAMSA params = make_params(request, c.state_->id);
  RASDIALEXTENSIONS ext{};
  ext.dwSize = sizeof(ext);
  ext.dwfOptions = request.options;
  DWORD error = RasDialA(&ext, request.phonebook.empty() ? nullptr : request.phonebook.c_str(),
                         &params, 0, nullptr, &c.state_->handle);
  std::fill(std::begin(params.szPassword), std::end(params.szPassword), '\0');
  ec = make_ras_error_code(error);
  return c;
}

HRASCONN Connection::handle() const {
  return state_ ? state_->handle : nullptr;
}

HRASCONN Connection::detach() {
  HRASCONN h = handle();
  if (state_) state_->handle = nullptr;
  return h;
}

std::error_code Connection::hang_up() {
  if (!state_ || !state_->handle) return {};
  DWORD error = RasHangUpA(state_->handle);
  state_->handle = nullptr;
  return make_ras_error_code(error);
}

std::error_code Connection::status(RASCONNSTATUSA& out) const {
  out.dwSize = sizeof(out);
  return make_ras_error_code(RasGetConnectStatusA(handle(), &out));
}

bool Connection::StateAwaiter::await_ready() const noexcept {
  return !state->pending.empty();
}

void Connection::StateAwaiter::await_suspend(std::coroutine_handle<> waiter) noexcept {
  state->waiter = waiter;
}

StateChange Connection::StateAwaiter::await_resume() {
  StateChange c = state->pending.front();
  state->pending.pop_front();
  return c;
}

}  // namespace openras
