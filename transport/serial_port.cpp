#include "transport/serial_port.hpp"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "raserror.h"

namespace openras::transport {
namespace {

speed_t to_speed(std::uint32_t bps) {
  switch (bps) {
    case 9600:
      return B9600;
    case 19200:
      return B19200;
    case 38400:
      return B38400;
    case 57600:
      return B57600;
    case 230400:
      return B230400;
    case 460800:
      return B460800;
    case 921600:
      return B921600;
    default:
      return B115200;
  }
}

// The Unix permission check for read and write, with the caller's ids. ACLs are not
// consulted: a port granted only by an ACL is refused (docs/security.md).
bool caller_may_open(const struct stat& st, const PortCaller& caller) {
  if (caller.uid == 0) return true;
  mode_t bits = S_IRUSR | S_IWUSR;
  if (st.st_uid != caller.uid) {
    bool in_group =
        std::find(caller.gids.begin(), caller.gids.end(), st.st_gid) != caller.gids.end();
    bits = in_group ? (S_IRGRP | S_IWGRP) : (S_IROTH | S_IWOTH);
  }
  return (st.st_mode & bits) == bits;
}

// /dev/tty, /dev/console and /dev/ptmx are the daemon's own terminals or a new pty master,
// never a caller's line, whatever their mode says.
bool is_system_terminal(const struct stat& st) {
  return major(st.st_rdev) == 5 && minor(st.st_rdev) <= 2;
}

}  // namespace

OpenedPort open_serial_port(const dial::PortRequest& request, const PortCaller& caller) {
  OpenedPort out;
  struct stat before {};
  if (::stat(request.device.c_str(), &before) != 0 || !S_ISCHR(before.st_mode)) {
    out.error = ERROR_PORT_NOT_AVAILABLE;
    return out;
  }
  if (!caller_may_open(before, caller) || (caller.uid != 0 && is_system_terminal(before))) {
    out.error = ERROR_ACCESS_DENIED;
    return out;
  }
  int fd = ::open(request.device.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    out.error = errno == EBUSY ? ERROR_PORT_ALREADY_OPEN : ERROR_PORT_NOT_AVAILABLE;
    return out;
  }
  // The path could have been switched between the check and the open.
  struct stat opened {};
  if (::fstat(fd, &opened) != 0 || opened.st_rdev != before.st_rdev ||
      opened.st_ino != before.st_ino) {
    ::close(fd);
    out.error = ERROR_ACCESS_DENIED;
    return out;
  }
  termios t{};
  if (::tcgetattr(fd, &t) != 0) {  // not a tty
    ::close(fd);
    out.error = ERROR_PORT_NOT_AVAILABLE;
    return out;
  }
  out.saved = t;
  if (::ioctl(fd, TIOCEXCL) != 0 && errno == EBUSY) {
    ::close(fd);
    out.error = ERROR_PORT_ALREADY_OPEN;
    return out;
  }
  ::cfmakeraw(&t);
  t.c_cflag |= CLOCAL | CREAD;
  t.c_cflag &= ~static_cast<tcflag_t>(CSTOPB | PARENB);
  if (request.hardware_flow) {
    t.c_cflag |= CRTSCTS;
  } else {
    t.c_cflag &= ~static_cast<tcflag_t>(CRTSCTS);
  }
  t.c_cc[VMIN] = 1;
  t.c_cc[VTIME] = 0;
  ::cfsetispeed(&t, to_speed(request.speed));
  ::cfsetospeed(&t, to_speed(request.speed));
  ::tcsetattr(fd, TCSANOW, &t);
  int dtr = TIOCM_DTR | TIOCM_RTS;
  ::ioctl(fd, TIOCMBIS, &dtr);  // ptys refuse this; real ports need it
  out.fd = fd;
  return out;
}

void close_serial_port(int fd, const termios& saved) {
  if (fd < 0) return;
  int dtr = TIOCM_DTR;
  ::ioctl(fd, TIOCMBIC, &dtr);
  ::ioctl(fd, TIOCNXCL);
  ::tcsetattr(fd, TCSANOW, &saved);
  ::close(fd);
}

}  // namespace openras::transport
