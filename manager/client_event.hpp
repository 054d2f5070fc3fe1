// Descriptors a client hands rasmand to be signalled (Subscribe, RasConnectionNotification).
// The daemon writes to them on its loop, so nothing a client does with its end may make that
// write block: only eventfds are taken, they are switched to non-blocking, and each write runs
// under a short alarm in case the client switched them back (it shares the file description).
#pragma once

namespace openras::manager {

// True when `fd` is an eventfd, now non-blocking; otherwise the caller refuses it.
bool adopt_client_event(int fd);

// Adds one to the client's eventfd. False when the subscription must be dropped: the counter
// is full, the descriptor was made blocking again, or the write failed.
bool signal_client_event(int fd);

}  // namespace openras::manager
