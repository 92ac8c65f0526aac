// The CID profile an upload's check matched and the v1 profile a client learns, through
// the C++ wrapper (PinResult::cid_profile/profiles_hashed, Client::learned_cid_profile):
// after a v1 upload whose check matched exactly one of kubo v1 and unixfs-v1-2025,
// later v1 checks hash only that one, and both again when it stops matching. A service
// answering in unixfs-v1-2025 is simulated with the emulator's `status` fault (a 200
// carrying that CID), as tests/c/test_cid_profiles.c does.
#include <cstdint>
#include <optional>
#include <string>

#include "emulator.hpp"

using pinata::CidCheck;
using pinata::CidProfile;
using pinata::CidVersion;
using pinata::PinOptions;
using pinata::PinResult;
using pinata_test::PinataTest;

namespace {

// unixfs-v1-2025 and kubo v1 CIDs of content(3) (tests/cid_learning.rs computes the same).
const std::string kModern3 = "bafybeidnnfqinuub2ct73zvntb7fgdcta4j2yickyvnrmulr67kehxmibu";
const std::string kKuboV1_3 = "bafybeiad2ll22yhdx26plpaeppffzxsmdfcstgceovt6ywgyj66bpr53ae";

/// 2 MiB of pseudo-random bytes, the generator of tests/cid_learning.rs: large enough
/// that the two v1 profiles (256 KiB and 1 MiB chunks) give different CIDs.
std::string content(uint32_t seed) {
    uint32_t x = seed * 2654435761u + 1u;
    std::string out(2 * 1024 * 1024, '\0');
    for (char &c : out) {
        x = x * 1103515245u + 12345u;
        c = static_cast<char>(static_cast<unsigned char>(x >> 16));
    }
    return out;
}

class CidProfileTest : public PinataTest {
protected:
    /// Makes the emulator answer the next pin with `cid`, whatever was sent.
    void answer_next_with(const std::string &cid) {
        ASSERT_EQ(emu_->post("/__emulator/faults",
                             R"({"path":"/pinning/pinFileToIPFS","kind":"status","status":200,)"
                             R"("times":1,"body":{"IpfsHash":")" +
                                 cid + R"(","PinSize":2097152,"Timestamp":"2026-12-06T00:00:00Z"}})"),
                  200);
    }
};

TEST_F(CidProfileTest, ResultsReportTheMatchedProfileAndClientsLearnIt) {
    const std::string a = write_file("learn_a.bin", content(1));
    const std::string b = write_file("learn_b.bin", content(2));
    const std::string d = write_file("learn_d.bin", content(3));
    PinOptions v1;
    v1.set_cid_version(CidVersion::V1);

    // Nothing learned yet; a result or client without a handle reports nothing.
    EXPECT_EQ(client_.learned_cid_profile(), CidProfile::None);
    EXPECT_EQ(PinResult().cid_profile(), CidProfile::None);
    EXPECT_EQ(PinResult().profiles_hashed(), 0u);
    EXPECT_EQ(pinata::Client().learned_cid_profile(), CidProfile::None);

    // First v1 check: both profiles hashed, kubo v1 matches and is learned.
    PinResult first = client_.pin_file(a, v1);
    EXPECT_EQ(first.cid_check(), CidCheck::Verified);
    EXPECT_EQ(first.cid_profile(), CidProfile::KuboV1);
    EXPECT_EQ(first.profiles_hashed(), 2u);
    EXPECT_EQ(client_.learned_cid_profile(), CidProfile::KuboV1);
    // Another client (its own state) has learned nothing.
    EXPECT_EQ(admin_client().learned_cid_profile(), CidProfile::None);

    // Then only the learned profile is hashed.
    PinResult second = client_.pin_file(b, v1);
    EXPECT_EQ(second.cid_profile(), CidProfile::KuboV1);
    EXPECT_EQ(second.profiles_hashed(), 1u);

    // The service answers in unixfs-v1-2025: the fallback hashes it, still verified.
    answer_next_with(kModern3);
    PinResult modern = client_.pin_file(d, v1);
    EXPECT_EQ(modern.cid(), kModern3);
    EXPECT_EQ(modern.local_cid(), std::optional<std::string>(kModern3));
    EXPECT_EQ(modern.cid_check(), CidCheck::Verified);
    EXPECT_EQ(modern.cid_profile(), CidProfile::UnixfsV1_2025);
    EXPECT_EQ(modern.profiles_hashed(), 2u);
    EXPECT_EQ(client_.learned_cid_profile(), CidProfile::UnixfsV1_2025);

    // The real service again (kubo v1): the learned profile stops matching, both are
    // hashed, and kubo v1 is learned back.
    PinResult back = client_.pin_file(d, v1);
    EXPECT_EQ(back.cid(), kKuboV1_3);
    EXPECT_EQ(back.cid_profile(), CidProfile::KuboV1);
    EXPECT_EQ(back.profiles_hashed(), 2u);
    EXPECT_EQ(client_.learned_cid_profile(), CidProfile::KuboV1);

    // v0: one profile, reported; the check off: none, nothing hashed.
    PinResult v0 = client_.pin_file(a);
    EXPECT_EQ(v0.cid_profile(), CidProfile::KuboV0);
    EXPECT_EQ(v0.profiles_hashed(), 1u);
    PinOptions off;
    off.set_cid_version(CidVersion::V1).set_verify_cid(false);
    PinResult unchecked = client_.pin_file(a, off);
    EXPECT_EQ(unchecked.cid_check(), CidCheck::NotChecked);
    EXPECT_EQ(unchecked.cid_profile(), CidProfile::None);
    EXPECT_EQ(unchecked.profiles_hashed(), 0u);
}

}  // namespace
