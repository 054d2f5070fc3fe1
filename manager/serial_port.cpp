#include "manager/serial_port.hpp"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>

#include "raserror.h"

namespace openras::manager {
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

}  // namespace

OpenedPort open_serial_port(const dial::PortRequest& request) {
  OpenedPort out;
  int fd = ::open(request.device.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    out.error = errno == EBUSY ? ERROR_PORT_ALREADY_OPEN : ERROR_PORT_NOT_AVAILABLE;
    return out;
  }
  termios t{};
  if (::tcgetattr(fd, &t) != 0) {  // not a tty
    ::close(fd);
    out.error = ERROR_PORT_NOT_AVAILABLE;
    return out;
  }
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

void close_serial_port(int fd) {
  if (fd < 0) return;
  int dtr = TIOCM_DTR;
  ::ioctl(fd, TIOCMBIC, &dtr);
  ::close(fd);
}

}  // namespace openras::manager
