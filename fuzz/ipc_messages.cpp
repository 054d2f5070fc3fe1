// libFuzzer: every rasmand IPC body decoder on arbitrary bytes.
#include <cstddef>
#include <cstdint>

#include "ipc/messages.hpp"

using namespace openras::ipc;

template <typename M>
void try_decode(std::span<const std::byte> body) {
  Reader r(body);
  M m;
  (void)m.decode(r);
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::span<const std::byte> body(reinterpret_cast<const std::byte*>(data), size);
  if (size >= kHeaderSize) (void)check_header(decode_header(body.data()));
  try_decode<DialRequest>(body);
  try_decode<ResumeRequest>(body);
  try_decode<HandleRequest>(body);
  try_decode<ProjectionRequest>(body);
  try_decode<SubscribeRequest>(body);
  try_decode<StatusReply>(body);
  try_decode<EnumReply>(body);
  try_decode<ProjectionReply>(body);
  try_decode<StatisticsReply>(body);
  try_decode<StateEvent>(body);
  return 0;
}
