// The C++ wrapper's Pinning Service API: add, wait (with a status callback, and an
// exception thrown from it), get, list with filters, replace, remove, errors; a list
// walked page by page with the service's total, a cancellable client, the retry policy.
#include <chrono>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
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

TEST_F(PinataTest, PsaListIterReportsTheServicesTotal) {
    ASSERT_EQ(emu_->post("/__emulator/psa", R"({"mode":"spec","step_ms":null})"), 200);
    PsaClient psa = PsaClient::from(client_);
    for (int i = 0; i < 12; ++i) {
        PsaPin pin;
        pin.cid = pinata::cid_of_bytes("psa total " + std::to_string(i), pinata::CidVersion::V1);
        pin.name = "total-" + std::to_string(i);
        (void)psa.add(pin);
    }
    PsaQuery q;
    q.statuses = {PsaStatus::Queued};
    q.page_limit = 5;
    pinata::PsaList list = psa.list_iter(q);
    EXPECT_EQ(list.total(), std::nullopt);  // nothing fetched yet
    psa = PsaClient();                      // the list keeps its own reference
    std::set<std::string> ids;
    for (const pinata::PsaRequest &r : list) {
        EXPECT_EQ(r.status, PsaStatus::Queued);
        ids.insert(r.requestid);
        EXPECT_EQ(list.total(), std::optional<uint64_t>(12));  // all pages, from the first
    }
    EXPECT_EQ(ids.size(), 12u);
    EXPECT_EQ(list.total(), std::optional<uint64_t>(12));
    EXPECT_EQ(list.try_next().value(), std::nullopt);

    // A filter: the total counts its matches only ("total-1", "total-10", "total-11").
    PsaClient again = PsaClient::from(client_);
    q.name = "total-1";
    q.match = PsaMatch::Partial;
    pinata::PsaList some = again.list_iter(q);
    auto first = some.try_next();
    ASSERT_TRUE(first.ok()) << first.error().what();
    ASSERT_TRUE(first->has_value());
    EXPECT_EQ(some.total(), std::optional<uint64_t>(3));
    // The default query lists pinned requests only: none here.
    pinata::PsaList pinned = again.list_iter();
    EXPECT_EQ(pinned.next(), std::nullopt);
    EXPECT_EQ(pinned.total(), std::optional<uint64_t>(0));

    // Failures.
    PsaQuery bad;
    bad.cids.assign(11, kCid);
    EXPECT_EQ(again.try_list_iter(bad).status(), Status::InvalidArgument);
    EXPECT_EQ(PsaClient().try_list_iter().status(), Status::InvalidArgument);
    pinata::PsaList none;
    EXPECT_EQ(none.try_next().status(), Status::InvalidArgument);
    EXPECT_EQ(none.total(), std::nullopt);
}

TEST_F(PinataTest, PsaCancellableClientStopsOnlyItsOwnCalls) {
    ASSERT_EQ(emu_->post("/__emulator/psa", R"({"mode":"spec","step_ms":null})"), 200);
    PsaClient psa = PsaClient::from(client_);
    PsaPin pin;
    pin.cid = kCid;
    const std::string id = psa.add(pin).requestid;
    pinata::CancelToken token;
    PsaClient derived = psa.with_cancel(token);
    EXPECT_EQ(derived.get(id).requestid, id);  // same token, endpoint and settings

    // Raised from another thread, the token stops a wait during its sleep.
    std::thread canceller([&token] {
        std::this_thread::sleep_for(200ms);
        token.request();
    });
    const auto start = std::chrono::steady_clock::now();
    auto waited = derived.try_wait(id, 60s, 50ms, 1s);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    canceller.join();
    EXPECT_EQ(waited.status(), Status::Cancelled);
    EXPECT_LT(elapsed, 5s);
    // Every call of the derived client stops while it is raised; the parent's do not.
    EXPECT_EQ(derived.try_get(id).status(), Status::Cancelled);
    EXPECT_EQ(derived.try_list().status(), Status::Cancelled);
    EXPECT_TRUE(psa.try_get(id).ok());

    // Lowered, the derived client works again, and outlives its parent.
    token.reset();
    psa = PsaClient();
    EXPECT_TRUE(derived.try_get(id).ok());
    EXPECT_EQ(psa.try_with_cancel(token).status(), Status::InvalidArgument);
    pinata::CancelToken moved = std::move(token);
    EXPECT_EQ(derived.try_with_cancel(token).status(), Status::InvalidArgument);  // NOLINT
}

TEST_F(PinataTest, PsaRetryPolicyDecidesHowManyFailuresAreRetried) {
    ASSERT_EQ(emu_->post("/__emulator/psa", R"({"mode":"spec","step_ms":null})"), 200);
    client_.set_backoff(1ms, 5ms);  // quick retries; the PSA client inherits them
    PsaClient psa = PsaClient::from(client_);
    PsaPin pin;
    pin.cid = kCid;
    const std::string id = psa.add(pin).requestid;
    auto fail_next_gets = [&](int times) {
        ASSERT_EQ(emu_->post("/__emulator/faults",
                             R"({"path":"/psa/pins/*","method":"GET","kind":"status",)"
                             R"("status":503,"times":)" +
                                 std::to_string(times) + "}"),
                  200);
    };

    // No retries: one 503 fails the call.
    psa.set_retry_policy(0, 10s);
    fail_next_gets(1);
    auto once = psa.try_get(id);
    ASSERT_FALSE(once.ok());
    EXPECT_EQ(once.error().status(), Status::Server);
    EXPECT_EQ(once.error().http_status(), 503);
    EXPECT_TRUE(psa.try_get(id).ok());  // that fault is used up

    // Two retries ride out two 503s; one retry does not.
    psa.set_retry_policy(2, 10s);
    fail_next_gets(2);
    auto retried = psa.try_get(id);
    ASSERT_TRUE(retried.ok()) << retried.error().what();
    EXPECT_EQ(retried->requestid, id);
    psa.set_retry_policy(1, 10s);
    fail_next_gets(2);
    EXPECT_EQ(psa.try_get(id).status(), Status::Server);

    // A client of its own endpoint takes a policy too; bad input is refused.
    PsaClient direct = PsaClient::create(emu_->url() + "/psa", emu_->jwt());
    direct.set_retry_policy(0, 0ms);
    fail_next_gets(1);
    EXPECT_EQ(direct.try_get(id).status(), Status::Server);
    EXPECT_EQ(direct.try_set_retry_policy(1, -1ms).status(), Status::InvalidArgument);
    PsaClient empty;
    EXPECT_EQ(empty.try_set_retry_policy(1, 1s).status(), Status::InvalidArgument);
}
