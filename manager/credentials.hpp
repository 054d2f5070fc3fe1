// Saved credentials, kept by rasmand and never in the .pbk (as Windows keeps them out of it):
// one file per (user, phonebook, entry) under <state>/credentials/<uid>/, the directory 0700
// and the files 0600, owned by the daemon. Callers are told whether a password is saved, never
// what it is; only the dial reads it back. Secrets are wiped from memory after use.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace openras::manager {

struct SavedCredentials {
  std::string user;
  std::string domain;
  std::optional<std::string> password;
  std::optional<std::string> pre_shared_key;  // RASCM_PreSharedKey: for the entry's IPsec/IKE
  std::string eap_user_data;                  // RasSetEapUserData's octets
  ~SavedCredentials();
};

class CredentialStore {
 public:
  // `max_entries_per_user`: how many entries one user other than root may keep saved.
  explicit CredentialStore(std::string state_dir, std::size_t max_entries_per_user = 128);
  // RASCM_* mask says which fields to write (or, with clear, to forget). 0, or the Win32 code:
  // ERROR_NOT_ENOUGH_QUOTA past the user's limit, ERROR_CANNOT_WRITE_PHONEBOOK on I/O failure.
  std::uint32_t save(std::uint32_t uid, const std::string& phonebook, const std::string& entry,
                     const SavedCredentials& fields, std::uint32_t mask, bool clear);
  std::optional<SavedCredentials> load(std::uint32_t uid, const std::string& phonebook,
                                       const std::string& entry) const;
  static std::string default_state_dir();

 private:
  std::string path_for(std::uint32_t uid, const std::string& phonebook,
                       const std::string& entry) const;
  std::string dir_;
  std::size_t max_entries_per_user_;
};

void wipe(std::string& secret);

}  // namespace openras::manager
