// The C++ wrapper's batch uploads (pinata/batch.hpp): a folder of files with a per-file
// fault, progress, an exception from the progress callback, cancellation.
#include <stdexcept>
#include <string>

#include "emulator.hpp"

using pinata::BatchItem;
using pinata::BatchProgress;
using pinata::PinBatch;
using pinata::Status;
using pinata_test::PinataTest;

namespace {

class BatchTest : public PinataTest {
protected:
    std::string folder(int n) const {
        for (int i = 0; i < n; ++i) {
            write_file("batch/f" + std::to_string(10 + i) + ".txt",
                       "C++ batch file " + std::to_string(i));
        }
        return path("batch");
    }
};

TEST_F(BatchTest, PerFileFaultProgressAndItems) {
    PinBatch batch(client_);
    EXPECT_EQ(batch.add_dir(folder(8)), 8u);
    batch.add(path("batch/missing.txt")).set_in_flight(3);
    BatchProgress last;
    int calls = 0;
    batch.on_progress([&](const BatchProgress &p) {
        ++calls;
        last = p;
        return true;
    });
    ASSERT_EQ(emu_->post("/__emulator/faults",
                         R"({"path":"/pinning/pinFileToIPFS","kind":"status","status":403,"times":1})"),
              200);
    auto run = batch.try_run();
    ASSERT_FALSE(run.ok());
    EXPECT_NE(run.error().message().find("2 of 9 files failed"), std::string::npos)
        << run.error().message();
    EXPECT_EQ(batch.failed(), 2u);
    int pinned = 0, forbidden = 0, io = 0;
    for (const BatchItem &item : batch.items()) {
        if (item.ok()) {
            ++pinned;
            EXPECT_EQ(item.pin->cid_check, pinata::CidCheck::Verified);
            EXPECT_EQ(item.pin->local_cid, item.pin->cid);
        } else if (item.error->status() == Status::Forbidden) {
            ++forbidden;
            EXPECT_EQ(item.error->http_status(), 403);
        } else if (item.error->status() == Status::Io) {
            ++io;
            EXPECT_NE(item.path.find("missing.txt"), std::string::npos);
        }
    }
    EXPECT_EQ(pinned, 7);
    EXPECT_EQ(forbidden, 1);
    EXPECT_EQ(io, 1);
    EXPECT_GE(calls, 9);
    EXPECT_EQ(last.files_done, 9u);
    EXPECT_EQ(last.bytes_sent, last.bytes_total);
}

TEST_F(BatchTest, CallbackExceptionCancelsAndIsRethrown) {
    PinBatch batch(client_);
    batch.add_dir(folder(5));
    batch.set_in_flight(1).on_progress([](const BatchProgress &p) -> bool {
        if (p.files_done >= 1) {
            throw std::runtime_error("stop here");
        }
        return true;
    });
    EXPECT_THROW(batch.run(), std::runtime_error);
    EXPECT_TRUE(batch.item(0).ok());
    EXPECT_EQ(batch.item(4).error->status(), Status::Cancelled);
    // Without the callback, a raised flag cancels before anything is sent.
    pinata::CancelToken token;
    token.request();
    batch.on_progress(nullptr).set_cancel(token);
    auto again = batch.try_run();
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().status(), Status::Cancelled);
    EXPECT_EQ(batch.failed(), 5u);
    EXPECT_THROW(batch.set_in_flight(0), pinata::Error);
}

}  // namespace
