// The C++ wrapper of resumable (TUS) uploads (pinata/tus.hpp): a cancelled upload keeps
// its journal, is listed as pending and resumes; abandon deletes it; v3 uploads choose
// TUS above the threshold, can be forced, and report where they resumed; bad input
// comes back as Result values.
#include <filesystem>
#include <string>

#include "emulator.hpp"

using pinata::CidCheck;
using pinata::Status;
using pinata_test::PinataTest;
namespace v3 = pinata::v3;

namespace {

constexpr uint64_t kChunk = 64 * 1024;

std::string pattern(size_t len, unsigned seed) {
    std::string s(len, '\0');
    for (size_t i = 0; i < len; ++i) {
        s[i] = static_cast<char>(((i * 2654435761u + seed * 131u) >> 9) & 0xff);
    }
    return s;
}

class TusTest : public PinataTest {
protected:
    void SetUp() override {
        PinataTest::SetUp();
        ASSERT_TRUE(v3::try_set_upload_url(client_, emu_->url()).ok());
        journal_ = path("journal");
        std::filesystem::create_directory(journal_);
    }

    v3::ResumableOptions resumable() const {
        v3::ResumableOptions o;
        o.journal_dir = journal_;
        o.chunk_size = kChunk;
        return o;
    }

    std::string journal_;
};

// Returns false (cancel) once more than a third of the file went out.
bool stop_after_third(uint64_t sent, uint64_t total) { return sent <= total / 3; }

TEST_F(TusTest, CancelledUploadIsPendingAndResumes) {
    const std::string data = pattern(300 * 1024 + 5, 1);
    const std::string file = write_file("r.bin", data);
    auto o = resumable();
    o.progress = stop_after_third;
    auto cancelled = v3::try_upload_resumable(client_, file, o);
    EXPECT_EQ(cancelled.status(), Status::Cancelled);

    auto pending = v3::pending_uploads(journal_);
    ASSERT_EQ(pending.size(), 1u);
    EXPECT_EQ(pending[0].path, std::filesystem::canonical(file).string());
    EXPECT_EQ(pending[0].size, data.size());
    EXPECT_GT(pending[0].offset, 0u);

    o.progress = nullptr;
    auto r = v3::upload_resumable(client_, file, o);
    EXPECT_GE(r.resumed_from, pending[0].offset);
    EXPECT_GT(r.resumed_from, 0u);
    EXPECT_FALSE(r.restart_reason.has_value());
    const std::string cid = pinata::cid_of_bytes(data, pinata::CidVersion::V1);
    EXPECT_EQ(r.cid, cid);
    EXPECT_EQ(r.local_cid, cid);
    ASSERT_TRUE(r.file.has_value());
    EXPECT_EQ(r.file->cid, cid);
    EXPECT_EQ(r.file->name, "r.bin");
    EXPECT_TRUE(v3::pending_uploads(journal_).empty());
}

TEST_F(TusTest, AbandonDeletesTheJournal) {
    const std::string file = write_file("a.bin", pattern(200 * 1024, 2));
    auto o = resumable();
    o.progress = stop_after_third;
    EXPECT_EQ(v3::try_upload_resumable(client_, file, o).status(), Status::Cancelled);
    EXPECT_EQ(v3::pending_uploads(journal_).size(), 1u);
    EXPECT_TRUE(v3::abandon_resumable(client_, file, o));
    EXPECT_TRUE(v3::pending_uploads(journal_).empty());
    EXPECT_FALSE(v3::abandon_resumable(client_, file, o));
}

TEST_F(TusTest, CancelTokenKeepsTheJournal) {
    const std::string file = write_file("t.bin", pattern(200 * 1024, 3));
    pinata::CancelToken token;
    auto o = resumable();
    o.cancel = &token;
    o.progress = [&token](uint64_t sent, uint64_t total) {
        if (sent > total / 2) {
            token.request();
        }
        return true;
    };
    EXPECT_EQ(v3::try_upload_resumable(client_, file, o).status(), Status::Cancelled);
    EXPECT_EQ(v3::pending_uploads(journal_).size(), 1u);
}

TEST_F(TusTest, UploadFileChoosesByThresholdAndReportsTheResume) {
    const std::string small = write_file("small.bin", pattern(1000, 4));
    const std::string large_data = pattern(300 * 1024, 5);
    const std::string large = write_file("large.bin", large_data);
    v3::UploadOptions o;
    o.network = v3::Network::Public;
    v3::UploadChoice choice;
    choice.threshold = 100 * 1000;
    choice.journal_dir = journal_;
    choice.chunk_size = kChunk;

    auto s = v3::upload_file_choosing(client_, small, o, choice);
    EXPECT_EQ(s.path, v3::UploadPath::Multipart);
    EXPECT_EQ(s.result.cid_check, CidCheck::Verified);
    auto l = v3::upload_file_choosing(client_, large, o, choice);
    EXPECT_EQ(l.path, v3::UploadPath::Resumable);
    EXPECT_FALSE(l.resumed);
    EXPECT_EQ(l.result.file.cid, pinata::cid_of_bytes(large_data, pinata::CidVersion::V1));
    EXPECT_EQ(l.result.cid_check, CidCheck::Verified);

    // Forced paths, whatever the size.
    choice.path = v3::UploadPath::Resumable;
    EXPECT_EQ(v3::upload_file_choosing(client_, small, o, choice).path, v3::UploadPath::Resumable);
    choice.path = v3::UploadPath::Multipart;
    EXPECT_EQ(v3::upload_file_choosing(client_, large, o, choice).path, v3::UploadPath::Multipart);

    // A cancelled TUS upload resumes when the same call is made again.
    choice.path = v3::UploadPath::Auto;
    choice.progress = stop_after_third;
    EXPECT_EQ(v3::try_upload_file_choosing(client_, large, o, choice).status(), Status::Cancelled);
    auto pending = v3::pending_uploads(journal_);
    ASSERT_EQ(pending.size(), 1u);
    choice.progress = nullptr;
    auto resumed = v3::upload_file_choosing(client_, large, o, choice);
    EXPECT_EQ(resumed.path, v3::UploadPath::Resumable);
    EXPECT_TRUE(resumed.resumed);
    EXPECT_GE(resumed.resumed_from, pending[0].offset);
    EXPECT_GT(resumed.resumed_from, 0u);
    EXPECT_FALSE(resumed.restart_reason.has_value());
    EXPECT_TRUE(v3::pending_uploads(journal_).empty());
}

TEST_F(TusTest, BadInputIsAResult) {
    const std::string file = write_file("b.bin", pattern(1000, 6));
    auto o = resumable();
    o.journal_dir = path("no-such-dir");
    EXPECT_EQ(v3::try_upload_resumable(client_, file, o).status(), Status::Io);
    EXPECT_EQ(v3::try_upload_resumable(client_, std::string("b\0.bin", 6), resumable()).status(),
              Status::InvalidArgument);
    o = resumable();
    o.chunk_size = 10;
    EXPECT_EQ(v3::try_upload_resumable(client_, file, o).status(), Status::InvalidArgument);
    o = resumable();
    o.cid_version = 2;
    EXPECT_EQ(v3::try_upload_resumable(client_, file, o).status(), Status::InvalidArgument);
    EXPECT_EQ(v3::try_pending_uploads(path("no-such-dir")).status(), Status::Io);
    v3::UploadOptions car;
    car.car = true;
    car.network = v3::Network::Public;
    v3::UploadChoice forced;
    forced.path = v3::UploadPath::Resumable;
    forced.journal_dir = journal_;
    EXPECT_EQ(v3::try_upload_file_choosing(client_, file, car, forced).status(), Status::InvalidArgument);
    EXPECT_THROW(v3::upload_resumable(client_, path("missing.bin"), resumable()), pinata::Error);
}

}  // namespace
