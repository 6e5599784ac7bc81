// SPDX-License-Identifier: MIT
// Giving up privilege after the capture device is open: switch to a user (like tcpdump -Z),
// or drop the capabilities a setcap'd binary started with.
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "pcapframe/live.hpp"

namespace pcapframe {

namespace {

Error make_error(ErrorCode code, std::string message) {
  return Error{code, 0, 0, std::move(message)};
}

std::string errno_text() { return std::strerror(errno); }

}  // namespace

Result<void> drop_privileges(const std::string& user) {
  if (user.empty()) return unexpected(make_error(ErrorCode::InvalidArgument, "no user given"));
  long size = ::sysconf(_SC_GETPW_R_SIZE_MAX);
  std::vector<char> buffer(static_cast<std::size_t>(size > 0 ? size : 16384));
  passwd entry{};
  passwd* found = nullptr;
  int rc = 0;
  while ((rc = ::getpwnam_r(user.c_str(), &entry, buffer.data(), buffer.size(), &found)) ==
             ERANGE &&
         buffer.size() < (1u << 20)) {
    buffer.resize(buffer.size() * 2);
  }
  if (rc != 0 || found == nullptr) {
    return unexpected(make_error(ErrorCode::InvalidArgument, "no user named '" + user + "'"));
  }
  const uid_t uid = entry.pw_uid;
  const gid_t gid = entry.pw_gid;

  if (::geteuid() != 0) {
    if (::getuid() == uid && ::geteuid() == uid) return {};  // already that user
    return unexpected(
        make_error(ErrorCode::PermissionDenied, "cannot switch to user '" + user +
                                                    "': only root can (running as uid " +
                                                    std::to_string(::geteuid()) + ")"));
  }
  const auto failed = [&](const char* step) {
    return unexpected(make_error(
        ErrorCode::Io, "cannot switch to user '" + user + "': " + step + ": " + errno_text()));
  };
  if (::initgroups(user.c_str(), gid) != 0) return failed("initgroups");
  if (::setresgid(gid, gid, gid) != 0) return failed("setresgid");
  if (::setresuid(uid, uid, uid) != 0) return failed("setresuid");

  // Check rather than trust: every id is the user's, and root cannot be taken back.
  uid_t ruid = 0, euid = 0, suid = 0;
  gid_t rgid = 0, egid = 0, sgid = 0;
  if (::getresuid(&ruid, &euid, &suid) != 0 || ::getresgid(&rgid, &egid, &sgid) != 0 ||
      ruid != uid || euid != uid || suid != uid || rgid != gid || egid != gid || sgid != gid) {
    return unexpected(
        make_error(ErrorCode::Io, "cannot switch to user '" + user + "': the ids did not change"));
  }
  if (uid != 0 && (::setuid(0) == 0 || ::seteuid(0) == 0)) {
    return unexpected(
        make_error(ErrorCode::Io, "cannot switch to user '" + user + "': root could be regained"));
  }
  return {};
}

Result<void> drop_capabilities() {
  __user_cap_header_struct header{};
  header.version = _LINUX_CAPABILITY_VERSION_3;
  header.pid = 0;
  __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
  if (::syscall(SYS_capset, &header, data) != 0) {
    return unexpected(make_error(ErrorCode::Io, "cannot drop capabilities: " + errno_text()));
  }
  return {};
}

}  // namespace pcapframe
