#include "host/netlink.hpp"

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <vector>

namespace openras::host::netlink {
namespace {

// Sends one request and waits for its acknowledgement (and, with `on_reply`, its answer).
int transact(nlmsghdr* nlh, mnl_cb_t on_reply = nullptr, void* data = nullptr) {
  mnl_socket* nl = mnl_socket_open(NETLINK_ROUTE);
  if (!nl) return errno;
  int result = 0;
  if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
    result = errno;
  } else {
    unsigned portid = mnl_socket_get_portid(nl);
    nlh->nlmsg_seq = static_cast<unsigned>(time(nullptr));
    if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
      result = errno;
    } else {
      std::vector<char> buf(MNL_SOCKET_BUFFER_SIZE);
      ssize_t n = mnl_socket_recvfrom(nl, buf.data(), buf.size());
      if (n < 0) {
        result = errno;
      } else if (mnl_cb_run(buf.data(), static_cast<size_t>(n), nlh->nlmsg_seq, portid, on_reply,
                            data) < 0) {
        result = errno;
      }
    }
  }
  mnl_socket_close(nl);
  return result;
}

nlmsghdr* route_header(char* buf, std::uint16_t type, std::uint16_t flags, unsigned prefix) {
  nlmsghdr* nlh = mnl_nlmsg_put_header(buf);
  nlh->nlmsg_type = type;
  nlh->nlmsg_flags = flags;
  auto* rtm = static_cast<rtmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(rtmsg)));
  rtm->rtm_family = AF_INET;
  rtm->rtm_dst_len = static_cast<unsigned char>(prefix);
  rtm->rtm_table = RT_TABLE_MAIN;
  rtm->rtm_protocol = RTPROT_BOOT;
  rtm->rtm_scope = RT_SCOPE_LINK;
  rtm->rtm_type = RTN_UNICAST;
  return nlh;
}

int on_route_attribute(const nlattr* attr, void* data) {
  auto* path = static_cast<Path*>(data);
  if (mnl_attr_get_type(attr) == RTA_GATEWAY && mnl_attr_get_payload_len(attr) == 4) {
    path->gateway = ntohl(mnl_attr_get_u32(attr));
  } else if (mnl_attr_get_type(attr) == RTA_OIF && mnl_attr_get_payload_len(attr) == 4) {
    path->ifindex = mnl_attr_get_u32(attr);
  }
  return MNL_CB_OK;
}

int on_route(const nlmsghdr* nlh, void* data) {
  auto* rtm = static_cast<const rtmsg*>(mnl_nlmsg_get_payload(nlh));
  static_cast<Path*>(data)->local = rtm->rtm_type == RTN_LOCAL;
  mnl_attr_parse(nlh, sizeof(rtmsg), on_route_attribute, data);
  return MNL_CB_OK;
}

}  // namespace

int route_to(std::uint32_t destination, Path& path) {
  char buf[MNL_SOCKET_BUFFER_SIZE];
  nlmsghdr* nlh = mnl_nlmsg_put_header(buf);
  nlh->nlmsg_type = RTM_GETROUTE;
  nlh->nlmsg_flags = NLM_F_REQUEST;
  auto* rtm = static_cast<rtmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(rtmsg)));
  rtm->rtm_family = AF_INET;
  rtm->rtm_dst_len = 32;
  mnl_attr_put_u32(nlh, RTA_DST, htonl(destination));
  path = {};
  return transact(nlh, on_route, &path);
}

int add_host_route(std::uint32_t destination, const Path& via, unsigned metric) {
  char buf[MNL_SOCKET_BUFFER_SIZE];
  nlmsghdr* nlh = route_header(buf, RTM_NEWROUTE, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE, 32);
  if (via.gateway) static_cast<rtmsg*>(mnl_nlmsg_get_payload(nlh))->rtm_scope = RT_SCOPE_UNIVERSE;
  mnl_attr_put_u32(nlh, RTA_DST, htonl(destination));
  if (via.gateway) mnl_attr_put_u32(nlh, RTA_GATEWAY, htonl(via.gateway));
  mnl_attr_put_u32(nlh, RTA_OIF, via.ifindex);
  mnl_attr_put_u32(nlh, RTA_PRIORITY, metric);
  return transact(nlh);
}

int delete_host_route(std::uint32_t destination, const Path& via, unsigned metric) {
  char buf[MNL_SOCKET_BUFFER_SIZE];
  nlmsghdr* nlh = route_header(buf, RTM_DELROUTE, NLM_F_REQUEST | NLM_F_ACK, 32);
  mnl_attr_put_u32(nlh, RTA_DST, htonl(destination));
  if (via.gateway) mnl_attr_put_u32(nlh, RTA_GATEWAY, htonl(via.gateway));
  mnl_attr_put_u32(nlh, RTA_OIF, via.ifindex);
  mnl_attr_put_u32(nlh, RTA_PRIORITY, metric);
  return transact(nlh);
}

int set_link_up(unsigned ifindex, unsigned mtu) {
  char buf[MNL_SOCKET_BUFFER_SIZE];
  nlmsghdr* nlh = mnl_nlmsg_put_header(buf);
  nlh->nlmsg_type = RTM_NEWLINK;
  nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
  auto* ifm = static_cast<ifinfomsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifinfomsg)));
  ifm->ifi_family = AF_UNSPEC;
  ifm->ifi_index = static_cast<int>(ifindex);
  ifm->ifi_flags = IFF_UP;
  ifm->ifi_change = IFF_UP;
  mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
  return transact(nlh);
}

int add_peer_address(unsigned ifindex, std::uint32_t local, std::uint32_t peer) {
  char buf[MNL_SOCKET_BUFFER_SIZE];
  nlmsghdr* nlh = mnl_nlmsg_put_header(buf);
  nlh->nlmsg_type = RTM_NEWADDR;
  nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE;
  auto* ifa = static_cast<ifaddrmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifaddrmsg)));
  ifa->ifa_family = AF_INET;
  ifa->ifa_prefixlen = 32;
  ifa->ifa_scope = RT_SCOPE_UNIVERSE;
  ifa->ifa_index = ifindex;
  mnl_attr_put_u32(nlh, IFA_LOCAL, htonl(local));
  mnl_attr_put_u32(nlh, IFA_ADDRESS, htonl(peer ? peer : local));
  return transact(nlh);
}

// Without NLM_F_REPLACE: a second connection's route goes in front of the first's (the newest
// wins, as on Windows) and the first's is still there when the second goes away.
int add_route(unsigned ifindex, std::uint32_t destination, unsigned prefix, unsigned metric) {
  char buf[MNL_SOCKET_BUFFER_SIZE];
  nlmsghdr* nlh = route_header(buf, RTM_NEWROUTE, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE, prefix);
  if (prefix > 0) mnl_attr_put_u32(nlh, RTA_DST, htonl(destination));
  mnl_attr_put_u32(nlh, RTA_OIF, ifindex);
  mnl_attr_put_u32(nlh, RTA_PRIORITY, metric);
  return transact(nlh);
}

}  // namespace openras::host::netlink
