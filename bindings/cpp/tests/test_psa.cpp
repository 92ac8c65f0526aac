// The C++ wrapper's Pinning Service API: add, wait (with a status callback, and an
// exception thrown from it), get, list with filters, replace, remove, errors.
#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "emulator.hpp"

using namespace std::chrono_literals;
using pinata::PsaClient;
using pinata::PsaMatch;
using pinata::PsaPin;
using pinata::PsaQuery;
using pinata::PsaStatus;
using pinata::Status;
using pinata_test::PinataTest;

namespace {
const char *const kCid = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";
const char *const kCid2 = "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH";
}  // namespace

TEST_F(PinataTest, PsaLifecycle) {
    ASSERT_EQ(emu_->post("/__emulator/psa", R"({"mode":"spec","step_ms":10})"), 200);
    PsaClient psa = PsaClient::from(client_);
    PsaPin pin;
    pin.cid = kCid;
    pin.name = "cpp-psa";
    pin.meta["lang"] = "c++";
    pin.origins = {"/ip4/10.0.0.2/tcp/4001/p2p/12D3KooWBqWVzmvemKbp7UdNBe81bM3kqWm2xGqLiVM1PmE2VhZF"};
    pin.drop_private_origins = true;
    auto added = psa.add(pin);
    EXPECT_EQ(added.status, PsaStatus::Queued);
    EXPECT_EQ(added.name.value_or(""), "cpp-psa");
    EXPECT_TRUE(added.origins.empty());
    EXPECT_FALSE(added.delegates.empty());
    EXPECT_NE(added.meta_json.find("\"lang\":\"c++\""), std::string::npos);

    std::vector<std::string> seen;
    auto done = psa.wait(added.requestid, 60s, 5ms, 20ms, [&](const std::string &s) {
        seen.push_back(s);
        return true;
    });
    EXPECT_EQ(done.status, PsaStatus::Pinned);
    ASSERT_FALSE(seen.empty());
    EXPECT_EQ(seen.back(), "pinned");

    PsaQuery q;
    q.name = "CPP";
    q.match = PsaMatch::IPartial;
    auto found = psa.list(q);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].requestid, added.requestid);
    q.name = "CPP-PSA";
    q.match = PsaMatch::Exact;
    EXPECT_TRUE(psa.list(q).empty());

    PsaPin other;
    other.cid = kCid2;
    auto replaced = psa.replace(added.requestid, other);
    EXPECT_NE(replaced.requestid, added.requestid);
    EXPECT_EQ(psa.try_get(added.requestid).status(), Status::NotFound);
    psa.remove(replaced.requestid);
    auto again = psa.try_remove(replaced.requestid);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().status(), Status::NotFound);
    EXPECT_EQ(again.error().http_status(), 404);
}

TEST_F(PinataTest, PsaWaitStopsAndErrors) {
    ASSERT_EQ(emu_->post("/__emulator/psa", R"({"mode":"spec","step_ms":null})"), 200);
    PsaClient psa = PsaClient::create(emu_->url() + "/psa", emu_->jwt());
    PsaPin pin;
    pin.cid = kCid;
    auto added = psa.add(pin);
    EXPECT_EQ(psa.try_wait(added.requestid, 100ms, 10ms, 20ms).status(), Status::Timeout);
    EXPECT_EQ(psa.try_wait(added.requestid, 60s, 10ms, 20ms, [](const std::string &) { return false; })
                  .status(),
              Status::Cancelled);
    EXPECT_THROW(psa.try_wait(added.requestid, 60s, 10ms, 20ms,
                              [](const std::string &) -> bool { throw std::logic_error("stop"); }),
                 std::logic_error);
    PsaPin bad;
    bad.cid = "not-a-cid";
    EXPECT_EQ(psa.try_add(bad).status(), Status::InvalidArgument);
    bad.cid = kCid;
    bad.origins = {"/ip4/1.2.3.4/tcp/1/p2p/nope"};
    EXPECT_EQ(psa.try_add(bad).status(), Status::InvalidArgument);
    PsaQuery q;
    q.cids.assign(11, kCid);
    EXPECT_EQ(psa.try_list(q).status(), Status::InvalidArgument);
    EXPECT_EQ(psa.try_get(std::string("a\0b", 3)).status(), Status::InvalidArgument);
    EXPECT_EQ(PsaClient::try_create("https://h/psa/pins", "t").status(), Status::InvalidArgument);
    auto keys = pinata::Client::from_api_key(emu_->api_key(), emu_->api_secret());
    EXPECT_EQ(PsaClient::try_from(keys).status(), Status::InvalidArgument);
    EXPECT_EQ(PsaClient().try_get("x").status(), Status::InvalidArgument);
}
