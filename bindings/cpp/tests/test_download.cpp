// Verified downloads through the C++ wrapper (pinata/download.hpp) against the
// emulator's gateway: a file and memory, progress, the caps on content, a lying gateway,
// bad input; a full URL (a signed link, a private file's download link) verified
// against its CID.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "emulator.hpp"

using namespace std::chrono_literals;
using pinata::DownloadMethod;
using pinata::Status;
using pinata::Verification;
using pinata_test::PinataTest;

namespace {

std::string read_all(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

TEST_F(PinataTest, DownloadIsVerifiedAndLiesLeaveNothing) {
    std::string content;
    for (int i = 0; i < 600000; i++) {
        content.push_back(static_cast<char>(i * 13 % 251));
    }
    const std::string src = write_file("data.bin", content);
    pinata::PinOptions po;
    po.set_cid_version(pinata::CidVersion::V1);
    const std::string cid = client_.pin_file(src, po).cid();
    pinata::try_set_gateway(client_, emu_->url()).value();

    int calls = 0;
    pinata::DownloadOptions opts;
    opts.progress = [&](uint64_t, uint64_t) {
        ++calls;
        return true;
    };
    pinata::Download d = pinata::download_cid(client_, cid, path("out.bin"), opts);
    EXPECT_EQ(read_all(path("out.bin")), content);
    EXPECT_EQ(d.bytes, content.size());
    EXPECT_EQ(d.method, DownloadMethod::Car);
    EXPECT_EQ(d.verified, Verification::Blocks);
    EXPECT_GT(calls, 0);

    pinata::DownloadOptions raw;
    raw.method = DownloadMethod::Raw;
    pinata::Download m = pinata::download_cid_to_memory(client_, cid, content.size(), raw);
    EXPECT_EQ(std::string(m.data.begin(), m.data.end()), content);
    EXPECT_EQ(m.method, DownloadMethod::Raw);
    EXPECT_EQ(pinata::try_download_cid_to_memory(client_, cid, content.size() - 1).status(),
              Status::Protocol);

    // The caps on content reach the library: one byte under the content is refused and
    // leaves nothing; the content's own size and one entry are enough.
    pinata::DownloadOptions capped;
    capped.max_bytes = content.size() - 1;
    EXPECT_EQ(pinata::try_download_cid(client_, cid, path("capped.bin"), capped).status(),
              Status::Protocol);
    EXPECT_FALSE(std::filesystem::exists(path("capped.bin")));
    capped.max_bytes = content.size();
    capped.max_entries = 1;
    EXPECT_EQ(pinata::download_cid(client_, cid, path("capped.bin"), capped).bytes, content.size());

    // An exception from the progress callback cancels and reaches the caller.
    pinata::DownloadOptions throwing;
    throwing.progress = [](uint64_t, uint64_t) -> bool { throw std::runtime_error("stop"); };
    EXPECT_THROW(pinata::download_cid(client_, cid, path("thrown.bin"), throwing),
                 std::runtime_error);
    EXPECT_FALSE(std::filesystem::exists(path("thrown.bin")));

    // A lying gateway.
    ASSERT_EQ(emu_->post("/__emulator/gateway/fault",
                         "{\"kind\":\"swap\",\"cid\":\"" + cid + "\",\"block\":1}"),
              200);
    EXPECT_EQ(pinata::try_download_cid(client_, cid, path("lie.bin")).status(), Status::Integrity);
    EXPECT_FALSE(std::filesystem::exists(path("lie.bin")));
    ASSERT_EQ(emu_->post("/__emulator/gateway/fault", "{\"kind\":\"none\"}"), 200);

    EXPECT_EQ(pinata::try_download_cid(client_, "not-a-cid", path("x")).status(),
              Status::InvalidArgument);
    EXPECT_EQ(pinata::try_download_cid(client_, std::string("a\0b", 3), path("x")).status(),
              Status::InvalidArgument);
    EXPECT_EQ(pinata::try_set_gateway(client_, "ftp://x").status(), Status::InvalidArgument);
}

TEST_F(PinataTest, DownloadUrlIsVerifiedAgainstItsCidAndNeverShown) {
    const std::string hello = client_.pin_bytes("Hello World!", "hello.txt").cid();
    const std::string other = client_.pin_bytes("another file", "other.txt").cid();
    const std::string url = emu_->url() + "/ipfs/" + hello + "?X-Signature=secret-sig-4711";

    int calls = 0;
    pinata::DownloadOptions opts;
    opts.progress = [&](uint64_t, uint64_t) {
        ++calls;
        return true;
    };
    pinata::Download d = pinata::download_url(client_, url, hello, path("out.txt"), opts);
    EXPECT_EQ(read_all(path("out.txt")), "Hello World!");
    EXPECT_EQ(d.bytes, 12u);
    EXPECT_EQ(d.files, 1u);
    EXPECT_FALSE(d.is_dir);
    EXPECT_GT(calls, 0);

    // Content that is not `cid`'s: an integrity error, nothing left, the URL not shown.
    auto lie = pinata::try_download_url(client_, url, other, path("lie.txt"));
    ASSERT_FALSE(lie.ok());
    EXPECT_EQ(lie.status(), Status::Integrity);
    EXPECT_EQ(std::string(lie.error().what()).find("secret-sig-4711"), std::string::npos);
    EXPECT_FALSE(std::filesystem::exists(path("lie.txt")));

    // A private v3 file: the gateway does not serve it, its download link does.
    namespace v3 = pinata::v3;
    ASSERT_TRUE(v3::try_set_upload_url(client_, emu_->url()).ok());
    v3::UploadResult up = v3::upload_bytes(client_, "private bytes\n", "private.txt");
    ASSERT_TRUE(pinata::try_set_gateway(client_, emu_->url()).ok());
    EXPECT_EQ(pinata::try_download_cid(client_, up.file.cid, path("gw.txt")).status(),
              Status::NotFound);
    const std::string link = v3::try_download_link(client_, emu_->url(), up.file.cid, 30s).value();
    pinata::Download p = pinata::download_url(client_, link, up.file.cid, path("private.txt"));
    EXPECT_EQ(read_all(path("private.txt")), "private bytes\n");
    EXPECT_EQ(p.bytes, 14u);

    // Bad input, refused before any request, the URL again not shown.
    EXPECT_EQ(pinata::try_download_url(client_, "ftp://h/x", hello, path("x")).status(),
              Status::InvalidArgument);
    auto nul = pinata::try_download_url(client_, url + std::string("\0", 1), hello, path("x"));
    ASSERT_FALSE(nul.ok());
    EXPECT_EQ(nul.status(), Status::InvalidArgument);
    EXPECT_EQ(std::string(nul.error().what()).find("secret-sig-4711"), std::string::npos);
    EXPECT_EQ(pinata::try_download_url(client_, url, "not-a-cid", path("x")).status(),
              Status::InvalidArgument);
    EXPECT_FALSE(std::filesystem::exists(path("x")));
}
