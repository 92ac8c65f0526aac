// Waiting for legacy pin-by-CID jobs through the C++ wrapper (Client::wait_pin_job):
// pinned and failed jobs, a job from a job list, the budget, the status callback
// (stopping, throwing), a cancel token raised from another thread, and bad input. The
// emulator's /__emulator/pin-jobs/{id}/advance hook moves the jobs.
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "emulator.hpp"

using namespace std::chrono_literals;
using pinata::CidVersion;
using pinata::PinJob;
using pinata::Status;
using pinata_test::PinataTest;

namespace {

/// A valid CID no upload of the test makes: its jobs move only by the hook.
std::string fresh_cid(const std::string &seed) {
    return pinata::cid_of_bytes("pin-job-wait " + seed, CidVersion::V0);
}

/// An exception type of the test's own, thrown from the status callback.
struct StatusFailure : std::runtime_error {
    StatusFailure() : std::runtime_error("status failure") {}
};

class PinJobWaitTest : public PinataTest {
protected:
    /// Moves job `id` to `json`'s status (an empty body: one step).
    void advance(const std::string &id, const std::string &json) {
        EXPECT_EQ(emu_->post("/__emulator/pin-jobs/" + id + "/advance", json), 200);
    }
};

TEST_F(PinJobWaitTest, WaitsUntilPinnedOrFailed) {
    // The callback advances the job on the first status: each status seen once.
    PinJob job = client_.pin_by_cid(fresh_cid("pinned"));
    std::vector<std::string> seen;
    PinJob done = client_.wait_pin_job(job, 60s, 5ms, 10ms, [&](const std::string &status) {
        if (seen.empty()) {
            advance(job.id(), R"({"status":"pinned"})");
        }
        seen.push_back(status);
        return true;
    });
    EXPECT_EQ(seen, (std::vector<std::string>{"prechecking", "pinned"}));
    EXPECT_EQ(done.status(), "pinned");
    EXPECT_EQ(done.id(), job.id());
    EXPECT_EQ(done.cid(), job.cid());
    EXPECT_EQ(job.status(), "prechecking");  // the original is left as it was

    // Without a callback, a job moved before the wait is seen settled at once.
    PinJob expired = client_.pin_by_cid(fresh_cid("expired"));
    advance(expired.id(), R"({"status":"expired"})");
    auto failed = client_.try_wait_pin_job(expired, 60s, 5ms, 10ms);
    ASSERT_TRUE(failed.ok()) << failed.error().what();  // a failed job is returned, not an error
    EXPECT_EQ(failed->status(), "expired");
    EXPECT_EQ(failed->id(), expired.id());

    // A row of a job list can be waited for too.
    PinJob listed = client_.pin_by_cid(fresh_cid("listed"));
    advance(listed.id(), "");  // one step: searching
    pinata::PinJobQuery query;
    query.set_cid(listed.cid());
    pinata::PinJobList jobs = client_.list_pin_jobs(query);
    ASSERT_EQ(jobs.size(), 1u);
    EXPECT_EQ(jobs[0].status, "searching");
    std::vector<std::string> listed_seen;
    PinJob listed_done = client_.wait_pin_job(jobs, 0, 60s, 5ms, 10ms, [&](const std::string &s) {
        if (listed_seen.empty()) {
            advance(listed.id(), R"({"status":"invalid_object"})");
        }
        listed_seen.push_back(s);
        return true;
    });
    EXPECT_EQ(listed_seen, (std::vector<std::string>{"searching", "invalid_object"}));
    EXPECT_EQ(listed_done.status(), "invalid_object");
    EXPECT_EQ(listed_done.id(), listed.id());
    EXPECT_EQ(client_.try_wait_pin_job(jobs, 1, 1s).status(), Status::InvalidArgument);
}

TEST_F(PinJobWaitTest, WaitsByIdAndCidAlone) {
    // The job's fields kept, its handle gone.
    std::string id, cid;
    {
        PinJob job = client_.pin_by_cid(fresh_cid("by-id"));
        id = job.id();
        cid = job.cid();
    }
    std::vector<std::string> seen;
    PinJob done = client_.wait_pin_job_by_id(id, cid, 60s, 5ms, 10ms, [&](const std::string &s) {
        if (seen.empty()) {
            advance(id, R"({"status":"pinned"})");
        }
        seen.push_back(s);
        return true;
    });
    EXPECT_EQ(seen, (std::vector<std::string>{"prechecking", "pinned"}));
    EXPECT_EQ(done.status(), "pinned");
    EXPECT_EQ(done.id(), id);
    EXPECT_EQ(done.cid(), cid);

    // An exception from the callback comes out of the wait.
    PinJob other = client_.pin_by_cid(fresh_cid("by-id-throws"));
    EXPECT_THROW(client_.wait_pin_job_by_id(other.id(), other.cid(), 60s, 5ms, 10ms,
                                            [](const std::string &) -> bool {
                                                throw StatusFailure();
                                            }),
                 StatusFailure);

    EXPECT_EQ(client_.try_wait_pin_job_by_id("no-such-job", fresh_cid("unknown"), 1s, 5ms, 10ms)
                  .status(),
              Status::NotFound);
    EXPECT_EQ(client_.try_wait_pin_job_by_id(std::string("a\0b", 3), cid).status(),
              Status::InvalidArgument);
    EXPECT_EQ(client_.try_wait_pin_job_by_id(id, "not-a-cid").status(), Status::InvalidArgument);
    EXPECT_EQ(client_.try_wait_pin_job_by_id("", cid).status(), Status::InvalidArgument);
    EXPECT_EQ(client_.try_wait_pin_job_by_id(id, cid, -1ms).status(), Status::InvalidArgument);
}

TEST_F(PinJobWaitTest, BudgetCallbackAndCancelStopTheWait) {
    PinJob stuck = client_.pin_by_cid(fresh_cid("stuck"));

    auto timed_out = client_.try_wait_pin_job(stuck, 100ms, 10ms, 20ms);
    ASSERT_FALSE(timed_out.ok());
    EXPECT_EQ(timed_out.error().status(), Status::Timeout);

    int calls = 0;
    auto stopped = client_.try_wait_pin_job(stuck, 60s, 10ms, 20ms, [&](const std::string &s) {
        EXPECT_EQ(s, "prechecking");
        ++calls;
        return false;
    });
    ASSERT_FALSE(stopped.ok());
    EXPECT_EQ(stopped.error().status(), Status::Cancelled);
    EXPECT_EQ(calls, 1);

    // An exception from the callback stops the wait and reaches the caller, from both
    // forms.
    auto thrower = [](const std::string &) -> bool { throw StatusFailure(); };
    EXPECT_THROW((void)client_.try_wait_pin_job(stuck, 60s, 10ms, 20ms, thrower), StatusFailure);
    EXPECT_THROW((void)client_.wait_pin_job(stuck, 60s, 10ms, 20ms, thrower), StatusFailure);

    // A client's cancel token, raised from another thread, stops a wait in its sleep.
    pinata::CancelToken token;
    const pinata::Client cancellable = client_.with_cancel(token);
    std::thread canceller([&token] {
        std::this_thread::sleep_for(200ms);
        token.request();
    });
    const auto start = std::chrono::steady_clock::now();
    auto cancelled = cancellable.try_wait_pin_job(stuck, 60s, 50ms, 1s);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    canceller.join();
    ASSERT_FALSE(cancelled.ok());
    EXPECT_EQ(cancelled.error().status(), Status::Cancelled);
    EXPECT_LT(elapsed, 5s);
    // The parent client still waits: the job settles.
    advance(stuck.id(), R"({"status":"pinned"})");
    EXPECT_EQ(client_.wait_pin_job(stuck, 60s, 5ms, 10ms).status(), "pinned");

    // Bad input, refused before any request.
    EXPECT_EQ(client_.try_wait_pin_job(stuck, -1ms).status(), Status::InvalidArgument);
    EXPECT_EQ(client_.try_wait_pin_job(stuck, 1s, 500ms, 40ms).status(), Status::InvalidArgument);
    EXPECT_EQ(client_.try_wait_pin_job(PinJob(), 1s).status(), Status::InvalidArgument);
    EXPECT_EQ(pinata::Client().try_wait_pin_job(stuck, 1s).status(), Status::InvalidArgument);
}

}  // namespace
