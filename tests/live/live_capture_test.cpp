// SPDX-License-Identifier: MIT
// LiveCapture's argument checks and errors, and the privilege drops (in child processes):
// everything that needs no traffic and touches no interface (the captures themselves are in
// test_live.py, inside network namespaces of their own).
#include <gtest/gtest.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "pcapframe/live.hpp"

namespace pcapframe {
namespace {

TEST(LiveCapture, RejectsImpossibleOptionsBeforeTouchingLibpcap) {
  auto no_name = LiveCapture::open("");
  ASSERT_FALSE(no_name.has_value());
  EXPECT_EQ(no_name.error().code, ErrorCode::InvalidArgument);

  LiveOptions zero_timeout;
  zero_timeout.timeout_ms = 0;
  auto timeout = LiveCapture::open("pfl-none0", zero_timeout);
  ASSERT_FALSE(timeout.has_value());
  EXPECT_EQ(timeout.error().code, ErrorCode::InvalidArgument);

  LiveOptions huge;
  huge.snaplen = kMaxCaplen + 1;
  auto snaplen = LiveCapture::open("pfl-none0", huge);
  ASSERT_FALSE(snaplen.has_value());
  EXPECT_EQ(snaplen.error().code, ErrorCode::InvalidArgument);
  EXPECT_NE(snaplen.error().message.find("262144"), std::string::npos);
}

TEST(LiveCapture, MissingInterfaceIsNamed) {
  // No such device exists, so nothing is captured. Without privilege libpcap cannot even
  // look, and says so: either way the message names the interface.
  auto opened = LiveCapture::open("pfl-none0");
  ASSERT_FALSE(opened.has_value());
  const Error& e = opened.error();
  EXPECT_NE(e.message.find("pfl-none0"), std::string::npos) << e.message;
  if (::geteuid() == 0) {
    EXPECT_EQ(e.code, ErrorCode::Io) << e.message;
    EXPECT_NE(e.message.find("no capture interface named"), std::string::npos) << e.message;
  } else {
    EXPECT_TRUE(e.code == ErrorCode::PermissionDenied || e.code == ErrorCode::Io) << e.message;
  }
}

TEST(LiveCapture, ListsInterfacesWithoutPrivilege) {
  auto interfaces = LiveCapture::list_interfaces();
  ASSERT_TRUE(interfaces.has_value()) << interfaces.error().message;
  for (const LiveInterface& i : *interfaces) EXPECT_FALSE(i.name.empty());
  EXPECT_NE(LiveCapture::library_version().find("libpcap"), std::string::npos);
}

TEST(DropPrivileges, UnknownUserIsAnArgumentError) {
  auto dropped = drop_privileges("pfl-no-such-user");
  ASSERT_FALSE(dropped.has_value());
  EXPECT_EQ(dropped.error().code, ErrorCode::InvalidArgument);
  EXPECT_NE(dropped.error().message.find("pfl-no-such-user"), std::string::npos);
  EXPECT_FALSE(drop_privileges("").has_value());
}

// Run `body` in a child process (a switch of user cannot be undone in this one); return its
// exit status: 0 when every check in it passed, else the number of the failed check.
template <class Body>
int in_child(Body body) {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(body());
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 100;
}

TEST(DropPrivileges, SwitchesEveryIdAndRootCannotBeRegained) {
  if (::geteuid() != 0) {
    auto dropped = drop_privileges("root");
    ASSERT_FALSE(dropped.has_value());
    EXPECT_EQ(dropped.error().code, ErrorCode::PermissionDenied);
    return;
  }
  const passwd* nobody = ::getpwnam("nobody");
  if (nobody == nullptr) GTEST_SKIP() << "no user 'nobody' on this system";
  const uid_t uid = nobody->pw_uid;
  const gid_t gid = nobody->pw_gid;
  EXPECT_EQ(in_child([&] {
              if (!drop_privileges("nobody")) return 1;
              uid_t r = 0, e = 0, s = 0;
              gid_t rg = 0, eg = 0, sg = 0;
              if (::getresuid(&r, &e, &s) != 0 || r != uid || e != uid || s != uid) return 2;
              if (::getresgid(&rg, &eg, &sg) != 0 || rg != gid || eg != gid || sg != gid) return 3;
              if (::setuid(0) == 0) return 4;
              const auto again = drop_privileges("root");  // only root switches users
              if (again || again.error().code != ErrorCode::PermissionDenied) return 5;
              if (!drop_privileges("nobody")) return 6;  // already that user: fine
              return 0;
            }),
            0);
}

TEST(DropCapabilities, RootWithoutCapabilitiesCannotOpenPacketSockets) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to have capabilities to drop";
  EXPECT_EQ(in_child([] {
              // Protocol 0: the socket receives nothing, it only tests the permission.
              const int before = ::socket(AF_PACKET, SOCK_RAW, 0);
              if (before < 0) return 1;
              ::close(before);
              if (!drop_capabilities()) return 2;
              const int after = ::socket(AF_PACKET, SOCK_RAW, 0);
              if (after >= 0 || errno != EPERM) return 3;
              return 0;
            }),
            0);
}

TEST(ErrorCodeName, PermissionDeniedHasAStableName) {
  EXPECT_EQ(error_code_name(ErrorCode::PermissionDenied), "permission_denied");
}

}  // namespace
}  // namespace pcapframe
