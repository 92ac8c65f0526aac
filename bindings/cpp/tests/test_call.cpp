// Calls an event loop drives, through the C++ wrapper (Client::start_test_auth,
// Client::start_pin_json, pinata::Call): a poll(2) loop on one thread with several
// calls in flight, the same outcomes as the blocking calls, a start and a step that do
// not wait while the emulator holds the answer, errors, a call destroyed mid-flight,
// and finishing out of turn.
#include <poll.h>

#include <chrono>
#include <string>
#include <vector>

#include "emulator.hpp"

using namespace std::chrono_literals;
using pinata::Call;
using pinata::PinResult;
using pinata::Status;
using pinata_test::PinataTest;

namespace {

/// Steps every call until all are done, waiting in poll(2) on their descriptors (and
/// for the shortest wait they gave) in between.
template <class T>
void drive(std::vector<Call<T>> &calls) {
    std::vector<bool> done(calls.size(), false);
    for (;;) {
        std::vector<pollfd> fds;
        int timeout = -1;
        for (std::size_t i = 0; i < calls.size(); i++) {
            if (done[i]) {
                continue;
            }
            std::chrono::milliseconds wait{0};
            done[i] = calls[i].step(&wait);
            if (done[i]) {
                continue;
            }
            ASSERT_GE(wait.count(), -1);
            fds.push_back(pollfd{calls[i].fd(), POLLIN, 0});
            if (wait.count() >= 0 && (timeout < 0 || wait.count() < timeout)) {
                timeout = static_cast<int>(wait.count());
            }
        }
        if (fds.empty()) {
            return;
        }
        ASSERT_GE(poll(fds.data(), fds.size(), timeout), 0);
    }
}

}  // namespace

TEST_F(PinataTest, SteppedCallsFromOnePollLoop) {
    const std::string blocking = client_.test_auth();
    // Held, so that neither can finish inside its start (a finished call gives its
    // descriptor back: fd() is then -1).
    ASSERT_EQ(emu_->post("/__emulator/faults",
                         R"({"path":"/data/testAuthentication","kind":"delay","delay_ms":300,"times":2})"),
              200);
    std::vector<Call<std::string>> auths;
    auths.push_back(client_.start_test_auth());
    auths.push_back(client_.start_test_auth());
    EXPECT_GE(auths[0].fd(), 0);  // Linux: an epoll set
    EXPECT_NE(auths[0].fd(), auths[1].fd());
    drive(auths);
    for (auto &call : auths) {
        EXPECT_EQ(call.fd(), -1);  // done: the descriptor went back to the client
        EXPECT_EQ(call.finish(), blocking);
        // The outcome is taken once.
        EXPECT_EQ(call.try_finish().status(), Status::InvalidArgument);
    }

    std::vector<Call<PinResult>> pins;
    for (int i = 0; i < 4; i++) {
        pins.push_back(
            client_.start_pin_json(R"({"stepped":)" + std::to_string(i) + "}", pinata::PinOptions()));
    }
    drive(pins);
    for (int i = 0; i < 4; i++) {
        PinResult r = pins[i].finish();
        const std::string doc = R"({"stepped":)" + std::to_string(i) + "}";
        EXPECT_EQ(r.cid(), pinata::cid_of_bytes(doc, pinata::CidVersion::V0));
        EXPECT_EQ(r.cid_check(), pinata::CidCheck::Verified);
    }
}

TEST_F(PinataTest, SteppedCallDoesNotWaitForTheAnswer) {
    ASSERT_EQ(emu_->post("/__emulator/faults",
                         R"({"path":"/data/testAuthentication","kind":"delay","delay_ms":1500,"times":1})"),
              200);
    Call<std::string> call = client_.start_test_auth();
    std::chrono::milliseconds wait{0};
    // The answer is held 1.5 s: had the start or the step waited for it, the call
    // would be done here.
    EXPECT_FALSE(call.step(&wait));
    EXPECT_GE(wait.count(), -1);
    // Not finished yet.
    EXPECT_EQ(call.try_finish().status(), Status::InvalidArgument);
    std::vector<Call<std::string>> calls;
    calls.push_back(std::move(call));
    drive(calls);
    EXPECT_FALSE(calls[0].finish().empty());
}

TEST_F(PinataTest, SteppedCallErrorsAndAbandon) {
    // A bad document is refused at the start, as the blocking call refuses it.
    EXPECT_EQ(client_.try_start_pin_json("{not json").status(), Status::InvalidArgument);
    EXPECT_EQ(client_.try_start_pin_json(std::string("{}\0{", 4)).status(),
              Status::InvalidArgument);

    // A 401 is the call's outcome, not the step's.
    pinata::Client bad = pinata::Client::from_jwt("a.b.c");
    reach(bad);
    std::vector<Call<std::string>> calls;
    calls.push_back(bad.start_test_auth());
    drive(calls);
    auto outcome = calls[0].try_finish();
    ASSERT_FALSE(outcome.ok());
    EXPECT_EQ(outcome.error().status(), Status::Unauthorized);

    // Destroyed while the emulator holds the answer: abandoned, nothing leaks
    // (valgrind), and the client goes on.
    ASSERT_EQ(emu_->post("/__emulator/faults",
                         R"({"path":"/data/testAuthentication","kind":"delay","delay_ms":3000,"times":1})"),
              200);
    {
        Call<std::string> abandoned = client_.start_test_auth();
        EXPECT_FALSE(abandoned.step());
    }
    EXPECT_FALSE(client_.test_auth().empty());

    // A moved-from call holds no handle: C refuses it.
    Call<std::string> a = client_.start_test_auth();
    Call<std::string> b = std::move(a);
    EXPECT_FALSE(static_cast<bool>(a));
    EXPECT_EQ(a.try_step().status(), Status::InvalidArgument);
    EXPECT_EQ(a.fd(), -1);
    std::vector<Call<std::string>> rest;
    rest.push_back(std::move(b));
    drive(rest);
    EXPECT_FALSE(rest[0].finish().empty());
}
