// The C++ wrapper of the v3 pin-by-CID queue (pinata/v3.hpp): queue, list, cancel, and
// wait until pinned or failed, with the emulator's hook moving the request.
#include <chrono>
#include <string>
#include <vector>

#include "emulator.hpp"

using namespace std::chrono_literals;
using pinata::Status;
using pinata_test::PinataTest;
namespace v3 = pinata::v3;

namespace {

const std::string kCid = "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o";
// Never pinned here: a request for kCid counts as pinned once kCid is a public file.
const std::string kStuckCid = "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4";

class V3PinWaitTest : public PinataTest {};

TEST_F(V3PinWaitTest, QueueWaitPinnedFailedAndCancel) {
    v3::PinByCidOptions o;
    o.name = "cpp-wait";
    o.keyvalues["env"] = "cpp";
    auto r = v3::pin_by_cid(client_, kCid, o);
    EXPECT_EQ(r.status, "prechecking");
    EXPECT_EQ(r.cid, kCid);
    EXPECT_EQ(r.name, "cpp-wait");
    auto queue = v3::try_pin_queue(client_, std::string("prechecking"), kCid);
    ASSERT_TRUE(queue.ok());
    ASSERT_EQ(queue.value().size(), 1u);
    EXPECT_EQ(queue.value()[0].id, r.id);

    // The callback moves the request one step, then to pinned: each status once.
    std::vector<std::string> seen;
    const std::vector<std::string> steps = {"", R"({"status":"pinned"})"};
    auto done = v3::pin_wait(client_, r, 60s, 5ms, 10ms, [&](const std::string &s) {
        if (seen.size() < steps.size()) {
            EXPECT_EQ(emu_->post("/__emulator/pin-jobs/" + r.id + "/advance", steps[seen.size()]), 200);
        }
        seen.push_back(s);
        return true;
    });
    EXPECT_TRUE(done.pinned());
    EXPECT_EQ(done.id, r.id);
    EXPECT_EQ(seen, (std::vector<std::string>{"prechecking", "searching", "pinned"}));

    // A failure is returned at once, by id alone.
    auto f = v3::pin_by_cid(client_, kCid);
    v3::PinRequest by_id;
    by_id.id = f.id;
    int failed_calls = 0;
    auto failed = v3::try_pin_wait(client_, by_id, 60s, 5ms, 10ms, [&](const std::string &) {
        if (failed_calls++ == 0) {
            EXPECT_EQ(emu_->post("/__emulator/pin-jobs/" + f.id + "/advance", R"({"status":"invalid_object"})"),
                      200);
        }
        return true;
    });
    ASSERT_TRUE(failed.ok());
    EXPECT_FALSE(failed.value().pinned());
    EXPECT_EQ(failed.value().status, "invalid_object");
    EXPECT_EQ(failed.value().cid, kCid);
    EXPECT_EQ(failed_calls, 2);

    // Stuck: the budget runs out; the callback stops it; cancelled is not found.
    auto s = v3::pin_by_cid(client_, kStuckCid);
    auto timed_out = v3::try_pin_wait(client_, s, 100ms, 10ms, 20ms);
    ASSERT_FALSE(timed_out.ok());
    EXPECT_EQ(timed_out.error().status(), Status::Timeout);
    int calls = 0;
    auto stopped = v3::try_pin_wait(client_, s, 60s, 10ms, 20ms, [&](const std::string &) {
        ++calls;
        return false;
    });
    ASSERT_FALSE(stopped.ok());
    EXPECT_EQ(stopped.error().status(), Status::Cancelled);
    EXPECT_EQ(calls, 1);
    ASSERT_TRUE(v3::try_pin_cancel(client_, s.id).ok());
    auto gone = v3::try_pin_wait(client_, s, 60s, 5ms, 10ms);
    ASSERT_FALSE(gone.ok());
    EXPECT_EQ(gone.error().status(), Status::NotFound);
    auto again = v3::try_pin_cancel(client_, s.id);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().status(), Status::NotFound);

    // Bad input.
    auto bad = v3::try_pin_wait(client_, v3::PinRequest{}, 1s);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().status(), Status::InvalidArgument);
    auto negative = v3::try_pin_wait(client_, r, -1ms);
    ASSERT_FALSE(negative.ok());
    EXPECT_EQ(negative.error().status(), Status::InvalidArgument);
    auto bad_cid = v3::try_pin_by_cid(client_, "not-a-cid");
    ASSERT_FALSE(bad_cid.ok());
    EXPECT_EQ(bad_cid.error().status(), Status::InvalidArgument);
}

}  // namespace
