// The C++ wrapper of the v3 Files API (pinata/v3.hpp): uploads on both networks with
// the CID check, listing with filters across pages, get/update/delete, a signed upload
// with no client at all, download links, and errors as Result values.
#include <chrono>
#include <string>

#include "emulator.hpp"

using namespace std::chrono_literals;
using pinata::CidCheck;
using pinata::Status;
using pinata_test::PinataTest;
namespace v3 = pinata::v3;

namespace {

class V3Test : public PinataTest {
protected:
    void SetUp() override {
        PinataTest::SetUp();
        ASSERT_TRUE(v3::try_set_upload_url(client_, emu_->url()).ok());
    }
};

TEST_F(V3Test, UploadListUpdateDelete) {
    v3::UploadOptions o;
    o.network = v3::Network::Public;
    o.name = "greeting";
    o.keyvalues["env"] = "cpp";
    o.group_id = "g";
    auto r = v3::upload_bytes(client_, "Hello World!", "hello.txt", o);
    EXPECT_EQ(r.file.cid, "bafkreid7qoywk77r7rj3slobqfekdvs57qwuwh5d2z3sqsw52iabe3mqne");
    EXPECT_EQ(r.cid_check, CidCheck::Verified);
    EXPECT_EQ(r.local_cid, r.file.cid);
    EXPECT_EQ(r.file.keyvalues_json, "{\"env\":\"cpp\"}");
    EXPECT_EQ(r.file.group_id, "g");
    auto file = v3::upload_file(client_, write_file("a.txt", "file on disk\n"), o);
    EXPECT_EQ(file.file.cid, pinata::cid_of_bytes("file on disk\n", pinata::CidVersion::V1));
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(v3::try_upload_bytes(client_, "n" + std::to_string(i), "n.txt", o).ok());
    }
    v3::FileQuery q;
    q.page_size = 2;
    q.keyvalues["env"] = "cpp";
    auto rows = v3::try_list_files(client_, v3::Network::Public, q);
    ASSERT_TRUE(rows.ok());
    EXPECT_EQ(rows.value().size(), 5u);
    EXPECT_EQ(v3::try_list_files(client_, v3::Network::Private).value().size(), 0u);
    auto priv = v3::try_upload_json(client_, "{\"a\":1}");
    ASSERT_TRUE(priv.ok());
    EXPECT_EQ(v3::try_list_files(client_, v3::Network::Private).value().size(), 1u);

    auto got = v3::try_get_file(client_, v3::Network::Public, r.file.id);
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(got.value().cid, r.file.cid);
    auto up = v3::try_update_file(client_, v3::Network::Public, r.file.id, std::string("renamed"));
    ASSERT_TRUE(up.ok());
    EXPECT_EQ(up.value().name, "renamed");
    EXPECT_EQ(v3::try_update_file(client_, v3::Network::Public, r.file.id, std::nullopt).status(),
              Status::InvalidArgument);
    EXPECT_TRUE(v3::try_delete_file(client_, v3::Network::Public, r.file.id).ok());
    EXPECT_EQ(v3::try_get_file(client_, v3::Network::Public, r.file.id).status(), Status::NotFound);
    EXPECT_EQ(v3::try_upload_bytes(client_, "x", std::string("a\0b", 3)).status(), Status::InvalidArgument);
}

TEST_F(V3Test, SignedUploadWithoutClientAndDownloadLink) {
    v3::SignOptions s;
    s.expires = 60s;
    s.network = v3::Network::Private;
    s.max_file_size = 50;
    s.allow_mime_types = {"text/plain"};
    s.name = "from the app";
    auto url = v3::try_sign_upload_url(client_, s);
    ASSERT_TRUE(url.ok());
    auto r = v3::try_upload_bytes_signed(url.value(), "app bytes\n", "app.txt");
    ASSERT_TRUE(r.ok()) << r.error().what();
    EXPECT_EQ(r.value().file.name, "from the app");
    EXPECT_EQ(r.value().cid_check, CidCheck::Verified);
    auto refused = v3::try_upload_bytes_signed(url.value(), std::string(51, 'x'), "big.txt");
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.status(), Status::BadRequest);
    EXPECT_EQ(std::string(refused.error().what()).find(url.value()), std::string::npos);
    auto link = v3::try_download_link(client_, emu_->url(), r.value().file.cid, 30s);
    ASSERT_TRUE(link.ok());
    EXPECT_NE(link.value().find("/files/" + r.value().file.cid + "?"), std::string::npos);
    EXPECT_EQ(v3::try_download_link(client_, emu_->url(), "nope", 30s).status(), Status::InvalidArgument);
}

TEST_F(V3Test, SignedUploadWithAnAnonymousClientsSettings) {
    v3::SignOptions s;
    s.expires = 60s;
    s.name = "from the anonymous app";
    auto url = v3::try_sign_upload_url(client_, s);
    ASSERT_TRUE(url.ok());
    auto app = v3::try_anonymous_client();
    ASSERT_TRUE(app.ok());
    reach(app.value());
    EXPECT_EQ(app.value().try_test_auth().status(), Status::Unauthorized);
    auto r = v3::try_upload_bytes_signed(app.value(), url.value(), "anonymous app\n", "a.txt");
    ASSERT_TRUE(r.ok()) << r.error().what();
    EXPECT_EQ(r.value().file.name, "from the anonymous app");
    // Its retry policy governs the upload: with none, one 503 fails it.
    ASSERT_TRUE(app.value().try_set_retry_policy(0, 10s).ok());
    auto at = url.value().find("/v3/files/");
    ASSERT_NE(at, std::string::npos);
    auto path = url.value().substr(at, url.value().find('?') - at);
    ASSERT_EQ(emu_->post("/__emulator/faults",
                         "{\"path\":\"" + path + "\",\"kind\":\"status\",\"status\":503,\"times\":1}"),
              200);
    EXPECT_EQ(v3::try_upload_bytes_signed(app.value(), url.value(), "x", "x.txt").status(), Status::Server);
}

}  // namespace
