// Verified downloads through the C++ wrapper (pinata/download.hpp) against the
// emulator's gateway: a file and memory, progress, a lying gateway, bad input.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "emulator.hpp"

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
