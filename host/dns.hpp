// Name servers from IPCP, handed to the system and taken back on hang-up. With
// systemd-resolved running, per interface through resolvectl; otherwise a marked block at the
// top of resolv.conf that only this connection's removal takes out again (so several
// connections, and the file's own lines, survive in any order).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace openras::host {

enum class DnsMode { Auto, Resolved, File, None };

class DnsManager {
 public:
  DnsManager(DnsMode mode, std::string resolv_conf);
  // The tunnel's name servers, and the entry's DNS suffix (IpDnsSuffix, may be empty). With
  // systemd-resolved a split tunnel (`default_route` false) answers only for its suffix (a
  // routing domain, and no default DNS route), so the company's names resolve through it and
  // nothing else; a full tunnel answers for every name (~.), so no query leaks around it. In
  // resolv.conf the suffix is the search domain.
  void apply(std::uint32_t handle, const std::string& ifname,
             const std::vector<std::string>& servers, const std::string& suffix = {},
             bool default_route = true);
  void remove(std::uint32_t handle, const std::string& ifname);
  // Whether apply() writes a block into resolv.conf (rather than telling systemd-resolved,
  // whose per-link settings go with the link), and into which file.
  bool writes_file() const { return mode_ != DnsMode::None && !use_resolved(); }
  const std::string& resolv_conf() const { return resolv_conf_; }

 private:
  bool use_resolved() const;
  DnsMode mode_;
  std::string resolv_conf_;
};

// Takes connection `handle`'s block out of `resolv_conf` (a previous instance's leftover).
void remove_resolv_block(const std::string& resolv_conf, std::uint32_t handle);

}  // namespace openras::host
