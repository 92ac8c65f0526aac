// The C++ wrapper's batch uploads (pinata/batch.hpp): a folder of files with a per-file
// fault, progress, an exception from the progress callback, cancellation; the same as v3
// files, multipart or TUS by size.
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>

#include "emulator.hpp"

using pinata::BatchItem;
using pinata::BatchProgress;
using pinata::PinBatch;
using pinata::Status;
using pinata_test::PinataTest;
namespace v3 = pinata::v3;

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

// Sizes 5 KiB to 50 KiB against a 30 KiB threshold: the four files above it go through
// TUS (the one at exactly 30 KiB stays multipart).
constexpr uint64_t kThreshold = 30 * 1024;

class BatchV3Test : public BatchTest {
protected:
    void SetUp() override {
        BatchTest::SetUp();
        ASSERT_TRUE(v3::try_set_upload_url(client_, emu_->url()).ok());
        journal_ = path("journal");
        std::filesystem::create_directory(journal_);
        options_.network = v3::Network::Public;
        choice_.threshold = kThreshold;
        choice_.journal_dir = journal_;
    }

    /// Writes batch/f00.bin … f09.bin, (i + 1) * 5 KiB each, distinct; returns the folder.
    std::string sized_folder() {
        for (int i = 0; i < 10; ++i) {
            std::string data(static_cast<size_t>(i + 1) * 5 * 1024, '\0');
            for (size_t j = 0; j < data.size(); ++j) {
                data[j] = static_cast<char>((j * 31 + static_cast<size_t>(i) * 7) & 0xff);
            }
            const std::string name = "f0" + std::to_string(i) + ".bin";
            sizes_[name] = data.size();
            write_file("batch/" + name, data);
        }
        return path("batch");
    }

    std::string journal_;
    v3::UploadOptions options_;
    v3::UploadChoice choice_;
    std::map<std::string, uint64_t> sizes_;  ///< file name -> size
};

TEST_F(BatchV3Test, PerFileFaultThenEveryFileAsV3) {
    PinBatch batch(client_);
    ASSERT_EQ(batch.add_dir(sized_folder()), 10u);
    ASSERT_EQ(emu_->post("/__emulator/faults",
                         R"({"path":"/v3/files","kind":"status","status":403,"times":1})"),
              200);
    auto run = batch.try_run_v3(options_, choice_);
    ASSERT_FALSE(run.ok());
    EXPECT_EQ(run.status(), Status::Forbidden);
    EXPECT_NE(run.error().message().find("1 of 10 files failed"), std::string::npos)
        << run.error().message();
    EXPECT_EQ(batch.failed(), 1u);
    int uploaded = 0, forbidden = 0, tus = 0;
    for (const BatchItem &item : batch.items()) {
        EXPECT_FALSE(item.pin.has_value()) << item.path;
        if (item.error) {
            ++forbidden;
            EXPECT_FALSE(item.ok());
            EXPECT_FALSE(item.file.has_value());
            EXPECT_EQ(item.error->status(), Status::Forbidden);
            EXPECT_EQ(item.error->http_status(), 403);
            continue;
        }
        ASSERT_TRUE(item.file.has_value()) << item.path;
        ++uploaded;
        EXPECT_TRUE(item.ok());
        const v3::UploadResult &r = item.file->result;
        const std::string name = std::filesystem::path(item.path).filename().string();
        ASSERT_EQ(sizes_.count(name), 1u) << item.path;
        const bool above = sizes_[name] > kThreshold;
        tus += above;
        EXPECT_EQ(item.file->path, above ? v3::UploadPath::Resumable : v3::UploadPath::Multipart)
            << name;
        EXPECT_EQ(r.file.name, name);
        EXPECT_EQ(r.file.size, sizes_[name]);
        EXPECT_EQ(r.cid_check, pinata::CidCheck::Verified);
        EXPECT_EQ(r.local_cid, r.file.cid);
    }
    EXPECT_EQ(uploaded, 9);
    EXPECT_EQ(forbidden, 1);
    EXPECT_GE(tus, 3);  // 4 above the threshold, less the one the fault may have hit

    // Run again: every file uploaded, finished TUS uploads leave no journal behind.
    EXPECT_NO_THROW(batch.run_v3(options_, choice_));
    EXPECT_EQ(batch.failed(), 0u);
    for (const BatchItem &item : batch.items()) {
        EXPECT_TRUE(item.ok() && item.file.has_value() && !item.pin.has_value()) << item.path;
    }
    EXPECT_TRUE(v3::pending_uploads(journal_).empty());

    // A legacy run after a v3 one: pins, no v3 files.
    batch.run();
    for (const BatchItem &item : batch.items()) {
        EXPECT_TRUE(item.pin.has_value() && !item.file.has_value()) << item.path;
    }
}

TEST_F(BatchV3Test, CallbackExceptionIsRethrownAndBadOptionsFail) {
    PinBatch batch(client_);
    batch.add_dir(sized_folder());
    batch.set_in_flight(1).on_progress([](const BatchProgress &p) -> bool {
        if (p.files_done >= 1) {
            throw std::runtime_error("stop here");
        }
        return true;
    });
    EXPECT_THROW(batch.run_v3(options_, choice_), std::runtime_error);
    EXPECT_TRUE(batch.item(0).file.has_value());
    EXPECT_EQ(batch.item(9).error->status(), Status::Cancelled);
    // Bad options (a private CAR upload) are refused before anything is sent, and the
    // previous outcomes are dropped.
    batch.on_progress(nullptr);
    options_.network = v3::Network::Private;
    options_.car = true;
    EXPECT_EQ(batch.try_run_v3(options_, choice_).status(), Status::InvalidArgument);
    EXPECT_FALSE(batch.item(0).ok());
    // A journal directory with a NUL byte never reaches C.
    options_ = v3::UploadOptions();
    choice_.journal_dir = std::string("bad\0dir", 7);
    EXPECT_EQ(batch.try_run_v3(options_, choice_).status(), Status::InvalidArgument);
}

}  // namespace
