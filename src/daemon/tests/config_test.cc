// swteed's configuration file: every key lands, and every kind of mistake is
// refused with the file, the line and what was expected.
#include "daemon/config.h"

#include <gtest/gtest.h>

#include <fstream>
#include <vector>

namespace swtee::daemon {
namespace {

std::optional<std::string> parse(const std::string& text, DaemonConfig& c) {
  return parse_config(text, "swteed.toml", c);
}

TEST(DaemonConfig, EveryKeyLands) {
  DaemonConfig c;
  auto err = parse(R"([paths]
runtime_dir = "/run/x"
huk_file = "/var/lib/x/huk"
[log]
level = "info,os=debug"
[devices.tee0]
group = "teeclnt"
mode = "0660"
[drivers.optee]
threads = 3
channels = 7
ta_pubkeys = ["/k1.pem", "/k2.pem"]
storage_verify_always = true
ta_image_trust_ms = 0
spare_idle_ms = 2000
ta_follow_cpu = "off"
ta_without_landlock = "allow"
[limits]
max_contexts_per_device = 5
max_shm_size = 65536
uid_share_percent = 40
)",
                   c);
  ASSERT_FALSE(err) << *err;
  EXPECT_EQ(c.runtime_dir, "/run/x");
  EXPECT_EQ(c.huk_file, "/var/lib/x/huk");
  EXPECT_EQ(c.log, "info,os=debug");
  EXPECT_EQ(c.tee0.group, "teeclnt");
  EXPECT_EQ(c.tee0.mode, 0660u);
  EXPECT_EQ(c.threads, 3u);
  EXPECT_EQ(c.channels, 7u);
  EXPECT_EQ(c.ta_pubkeys.size(), 2u);
  EXPECT_TRUE(c.storage_verify_always);
  EXPECT_EQ(c.ta_image_trust_ms, 0u);
  EXPECT_EQ(c.spare_idle_ms, 2000u);
  EXPECT_EQ(c.ta_follow_cpu, "off");
  EXPECT_EQ(c.ta_without_landlock, "allow");
  EXPECT_EQ(c.limits.max_contexts_per_device, 5u);
  EXPECT_EQ(c.limits.max_shm_size, 65536u);
  EXPECT_EQ(c.limits.uid_share_percent, 40u);
}

TEST(DaemonConfig, UnknownKeyNamesFileLineAndKnownKeys) {
  DaemonConfig c;
  auto err = parse("[drivers.optee]\nthreads = 2\nthreadz = 4\n", c);
  ASSERT_TRUE(err);
  EXPECT_NE(err->find("swteed.toml:3:"), std::string::npos) << *err;
  EXPECT_NE(err->find("unknown key drivers.optee.threadz"), std::string::npos) << *err;
  EXPECT_NE(err->find("drivers.optee.threads"), std::string::npos) << *err;
}

TEST(DaemonConfig, WrongTypeAndRangeSayWhatWasExpected) {
  DaemonConfig c;
  auto err = parse("\n[drivers.optee]\nthreads = \"four\"\n", c);
  ASSERT_TRUE(err);
  EXPECT_NE(err->find("swteed.toml:3:"), std::string::npos) << *err;
  EXPECT_NE(err->find("expected an integer 1..64"), std::string::npos) << *err;
  err = parse("[drivers.optee]\nthreads = 0\n", c);
  ASSERT_TRUE(err);
  EXPECT_NE(err->find("expected an integer 1..64"), std::string::npos) << *err;
  err = parse("[devices.tee0]\nmode = \"0777\"\n", c);
  ASSERT_TRUE(err);
  EXPECT_NE(err->find("devices.tee0.mode"), std::string::npos) << *err;
  err = parse("[log]\nlevel = \"loud\"\n", c);
  ASSERT_TRUE(err);
  EXPECT_NE(err->find("log.level: expected a log spec"), std::string::npos) << *err;
  for (const char* share : {"0", "101"}) {
    err = parse(std::string("[limits]\nuid_share_percent = ") + share + "\n", c);
    ASSERT_TRUE(err) << share;
    EXPECT_NE(err->find("limits.uid_share_percent: expected an integer 1..100"), std::string::npos) << *err;
  }
  err = parse("[drivers.optee]\nta_image_trust_ms = 60001\n", c);
  ASSERT_TRUE(err);
  EXPECT_NE(err->find("drivers.optee.ta_image_trust_ms: expected an integer 0..60000"), std::string::npos)
      << *err;
  err = parse("[drivers.optee]\nspare_idle_ms = 99\n", c);
  ASSERT_TRUE(err);
  EXPECT_NE(err->find("drivers.optee.spare_idle_ms: expected an integer 100..600000"), std::string::npos)
      << *err;
  // The keys that take one of a few words.
  struct Words {
    const char* key;
    std::vector<const char*> bad;
    const char* expected;
  };
  for (const Words& w :
       {Words{"ta_follow_cpu", {"\"yes\"", "true", "1"}, "\"auto\", \"on\" or \"off\""},
        Words{"ta_without_landlock", {"\"yes\"", "\"Refuse\"", "true"}, "\"refuse\" or \"allow\""}}) {
    for (const char* bad : w.bad) {
      err = parse(std::string("[drivers.optee]\n") + w.key + " = " + bad + "\n", c);
      ASSERT_TRUE(err) << w.key << " = " << bad;
      EXPECT_NE(err->find(std::string("drivers.optee.") + w.key + ": expected " + w.expected),
                std::string::npos)
          << *err;
    }
  }
}

TEST(DaemonConfig, SyntaxErrorNamesTheLine) {
  DaemonConfig c;
  auto err = parse("[paths]\nruntime_dir = \"/run/x\n", c);
  ASSERT_TRUE(err);
  EXPECT_NE(err->find("swteed.toml:2:"), std::string::npos) << *err;
}

TEST(DaemonConfig, ChannelsBelowThreadsRefused) {
  DaemonConfig c;
  auto err = parse("[drivers.optee]\nthreads = 8\nchannels = 4\n", c);
  ASSERT_TRUE(err);
  EXPECT_NE(err->find("channels"), std::string::npos) << *err;
}

TEST(DaemonConfig, HostAndGuestSections) {
  DaemonConfig h;
  auto err = parse(R"([guests]
listen = ["unix:/run/g.sock", "vsock:any:7000", "tcp:0.0.0.0:7001"]
[[guests.guest]]
id = 1
name = "vm1"
vsock_cid = 3
[[guests.guest]]
id = 2
unix_uid = 1000
key_file = "/etc/swtee/k"
[guests.limits]
ta_instances = 64
threads = 2
)",
                   h);
  ASSERT_FALSE(err) << *err;
  ASSERT_EQ(h.guests.guests.size(), 2u);
  EXPECT_EQ(h.guests.listen.size(), 3u);
  EXPECT_EQ(*h.guests.guests[0].vsock_cid, 3u);
  EXPECT_EQ(*h.guests.guests[1].unix_uid, 1000u);
  EXPECT_EQ(h.guests.guests[1].key_file, "/etc/swtee/k");
  EXPECT_EQ(h.guests.limits.ta_instances, 64u);
  EXPECT_EQ(h.guests.limits.threads, 2u);
  EXPECT_FALSE(h.guests.limits.sessions);
  DaemonConfig g;
  err = parse("[drivers.remote]\naddress = \"tcp:host:7001\"\nname = \"vm\"\nkey_file = \"/k\"\n", g);
  ASSERT_FALSE(err) << *err;
  EXPECT_EQ(g.remote.address, "tcp:host:7001");
}

TEST(DaemonConfig, GuestEntriesAreCheckedWhole) {
  for (const char* bad : {
           "[[guests.guest]]\nid = 1\n",                                  // no identity
           "[[guests.guest]]\nid = 0\nunix_uid = 1\n",                    // id 0 is the host's
           "[[guests.guest]]\nid = 1\nvsock_cid = 2\n",                   // the host's CID
           "[[guests.guest]]\nid = 1\nunix_uid = 1\ncolour = \"red\"\n",  // unknown key
           "[[guests.guest]]\nid = 1\nunix_uid = 1\n[[guests.guest]]\nid = 1\nunix_uid = 2\n",  // same id
           "[[guests.guest]]\nid = 1\nunix_uid = 1\n[[guests.guest]]\nid = 2\nunix_uid = 1\n",  // same uid
           "[guests]\nlisten = [\"udp:1:2\"]\n",
           "[drivers.remote]\naddress = \"host:1\"\n",
           "[drivers.remote]\naddress = \"unix:/a\"\n[guests]\nlisten = [\"unix:/b\"]\n",  // both
           "[guests.limits]\nta_instances = 0\n",
           "[guests.limits]\nthreads = 65\n",
           "[guests.limits]\nmemory = 1\n",
       }) {
    DaemonConfig c;
    EXPECT_TRUE(parse(bad, c)) << bad;
  }
}

TEST(DaemonConfig, ShippedExampleParses) {
  DaemonConfig c;
  auto err = load_config(SWTEE_EXAMPLE_CONFIG, c);
  EXPECT_FALSE(err) << *err;
}

TEST(DaemonConfig, MissingFileNamed) {
  DaemonConfig c;
  auto err = load_config("/nonexistent/swteed.toml", c);
  ASSERT_TRUE(err);
  EXPECT_NE(err->find("/nonexistent/swteed.toml"), std::string::npos);
}

}  // namespace
}  // namespace swtee::daemon
