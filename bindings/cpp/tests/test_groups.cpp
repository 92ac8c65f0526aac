// The C++ wrapper's groups: v3 groups per network (pinata::groups) and legacy CID
// groups (pinata::pin_groups), their errors and their effect on the pin list.
#include <string>
#include <vector>

#include "emulator.hpp"

using pinata::Network;
using pinata::Status;
using pinata_test::PinataTest;

namespace {

std::size_t pins_in(const pinata::Client &client, const std::string &group_id) {
    pinata::PinListQuery q;
    q.set_text(std::nullopt, group_id, std::nullopt);
    std::size_t n = 0;
    for (const pinata::PinRow &row : client.list_pins(q)) {
        (void)row;
        ++n;
    }
    return n;
}

}  // namespace

TEST_F(PinataTest, V3GroupsCycle) {
    pinata::Group g = pinata::groups::create(client_, Network::Private, "vault");
    EXPECT_EQ(g.name, "vault");
    EXPECT_FALSE(g.is_public);
    EXPECT_TRUE(g.created_at.has_value());
    EXPECT_EQ(pinata::groups::get(client_, Network::Private, g.id).id, g.id);
    EXPECT_EQ(pinata::groups::try_get(client_, Network::Public, g.id).status(), Status::NotFound);

    pinata::Group u = pinata::groups::update(client_, Network::Private, g.id, "vault-2", true);
    EXPECT_EQ(u.name, "vault-2");
    EXPECT_TRUE(u.is_public);
    EXPECT_EQ(pinata::groups::try_update(client_, Network::Private, g.id, std::nullopt).status(),
              Status::InvalidArgument);

    for (int i = 0; i < 4; ++i) {
        pinata::groups::create(client_, Network::Private, "set-" + std::to_string(i), i % 2 == 0);
    }
    pinata::GroupQuery q;
    q.page_size = 2;
    std::vector<pinata::Group> all = pinata::groups::list(client_, Network::Private, q);
    ASSERT_EQ(all.size(), 5u);
    EXPECT_EQ(all.front().name, "set-3");
    EXPECT_EQ(all.back().id, g.id);
    q.is_public = true;
    EXPECT_EQ(pinata::groups::list(client_, Network::Private, q).size(), 3u);
    q = pinata::GroupQuery{};
    q.name = "vault";
    EXPECT_EQ(pinata::groups::list(client_, Network::Private, q).size(), 1u);
    EXPECT_TRUE(pinata::groups::list(client_, Network::Public).empty());
    q = pinata::GroupQuery{};
    q.page_size = 5000;
    EXPECT_EQ(pinata::groups::try_list(client_, Network::Private, q).status(),
              Status::InvalidArgument);

    pinata::groups::remove(client_, Network::Private, g.id);
    EXPECT_EQ(pinata::groups::try_remove(client_, Network::Private, g.id).status(),
              Status::NotFound);
    EXPECT_EQ(pinata::groups::try_create(client_, Network::Public, std::string("a\0b", 3)).status(),
              Status::InvalidArgument);
    EXPECT_EQ(pinata::groups::try_create(client_, static_cast<Network>(7), "x").status(),
              Status::InvalidArgument);
    EXPECT_EQ(pinata::groups::try_set_member(client_, Network::Public, "g", "", true).status(),
              Status::InvalidArgument);
    EXPECT_THROW(pinata::groups::get(client_, Network::Public, "missing"), pinata::Error);
}

TEST_F(PinataTest, LegacyGroupsCycle) {
    const std::string cid = client_.pin_bytes(std::string_view("grouped"), "g.txt").cid();
    pinata::PinGroup g = pinata::pin_groups::create(client_, "album");
    EXPECT_EQ(g.name, "album");
    EXPECT_TRUE(g.user_id.has_value() && g.created_at.has_value() && g.updated_at.has_value());
    EXPECT_EQ(pinata::pin_groups::get(client_, g.id).id, g.id);
    EXPECT_EQ(pinata::pin_groups::rename(client_, g.id, "album-2").name, "album-2");

    pinata::pin_groups::add_cids(client_, g.id, {cid});
    EXPECT_EQ(pins_in(client_, g.id), 1u);
    pinata::pin_groups::remove_cids(client_, g.id, {cid});
    EXPECT_EQ(pins_in(client_, g.id), 0u);
    EXPECT_EQ(pinata::pin_groups::try_change_cids(client_, g.id, {}, true).status(),
              Status::InvalidArgument);
    EXPECT_EQ(pinata::pin_groups::try_change_cids(client_, g.id, {"not-a-cid"}, true).status(),
              Status::InvalidArgument);

    for (int i = 0; i < 3; ++i) {
        pinata::pin_groups::create(client_, "batch-" + std::to_string(i));
    }
    pinata::PinGroupQuery q;
    q.page_size = 2;
    std::vector<pinata::PinGroup> all = pinata::pin_groups::list(client_, q);
    ASSERT_EQ(all.size(), 4u);
    EXPECT_EQ(all.front().name, "batch-2");
    q.offset = 3;
    EXPECT_EQ(pinata::pin_groups::list(client_, q).size(), 1u);
    q = pinata::PinGroupQuery{};
    q.name_contains = "ALBUM";
    EXPECT_EQ(pinata::pin_groups::list(client_, q).size(), 1u);

    pinata::pin_groups::remove(client_, g.id);
    EXPECT_EQ(pinata::pin_groups::try_get(client_, g.id).status(), Status::NotFound);
    EXPECT_EQ(pinata::pin_groups::try_remove(client_, g.id).status(), Status::NotFound);
}

TEST_F(PinataTest, V3GroupMembers) {
    // A legacy pin is a public v3 file: its pin row id is the file id.
    const std::string cid = client_.pin_bytes(std::string_view("member"), "m.txt").cid();
    std::string file_id;
    for (const pinata::PinRow &row : client_.list_pins()) {
        if (row.cid == cid) {
            file_id = row.id;
        }
    }
    ASSERT_FALSE(file_id.empty());
    pinata::Group g = pinata::groups::create(client_, Network::Public, "members", true);
    pinata::groups::add_file(client_, Network::Public, g.id, file_id);
    EXPECT_EQ(pins_in(client_, g.id), 1u);
    pinata::groups::remove_file(client_, Network::Public, g.id, file_id);
    EXPECT_EQ(pins_in(client_, g.id), 0u);
    EXPECT_EQ(pinata::groups::try_set_member(client_, Network::Public, g.id, "nope", true).status(),
              Status::NotFound);
    EXPECT_EQ(
        pinata::groups::try_set_member(client_, Network::Private, g.id, file_id, true).status(),
        Status::NotFound);
}
