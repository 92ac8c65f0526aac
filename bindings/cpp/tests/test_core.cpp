// The C++ wrapper's foundation: versions, statuses, Error and Result, RAII and moves,
// string handling, client configuration, authentication, cancellable clients, API keys
// and local CIDs.
#include <atomic>
#include <chrono>
#include <cstring>
#include <sstream>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "emulator.hpp"

using namespace std::chrono_literals;
using pinata::CidVersion;
using pinata::Client;
using pinata::Error;
using pinata::HttpVersion;
using pinata::Result;
using pinata::Status;
using pinata_test::PinataTest;

namespace {

const char *const kHelloV1 = "bafkreid7qoywk77r7rj3slobqfekdvs57qwuwh5d2z3sqsw52iabe3mqne";
const char *const kEmptyV0 = "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH";

/// Runs `f`, which must throw `pinata::Error`, and returns the error.
template <class F>
Error expect_error(F &&f) {
    try {
        f();
    } catch (const Error &e) {
        return e;
    }
    ADD_FAILURE() << "no pinata::Error was thrown";
    return Error(Status::Ok, "none");
}

template <class T>
constexpr bool move_only_v = !std::is_copy_constructible_v<T> && !std::is_copy_assignable_v<T> &&
                             std::is_nothrow_move_constructible_v<T> &&
                             std::is_nothrow_move_assignable_v<T>;

}  // namespace

// -- versions and statuses ------------------------------------------------------------

TEST(Version, MatchesTheHeader) {
    EXPECT_EQ(pinata::version(), PINATA_VERSION_STRING);
    EXPECT_EQ(pinata::version_number(), static_cast<uint32_t>(PINATA_VERSION_NUMBER));
}

TEST(StatusEnum, MirrorsTheCConstants) {
    EXPECT_EQ(static_cast<int32_t>(Status::Ok), PINATA_OK);
    EXPECT_EQ(static_cast<int32_t>(Status::InvalidArgument), PINATA_E_INVALID_ARGUMENT);
    EXPECT_EQ(static_cast<int32_t>(Status::Cancelled), PINATA_E_CANCELLED);
    EXPECT_EQ(static_cast<int32_t>(Status::Unauthorized), PINATA_E_UNAUTHORIZED);
    EXPECT_EQ(static_cast<int32_t>(Status::NotFound), PINATA_E_NOT_FOUND);
    EXPECT_EQ(static_cast<int32_t>(Status::Internal), PINATA_E_INTERNAL);
    EXPECT_EQ(static_cast<int32_t>(Status::Tls), PINATA_E_TLS);
    EXPECT_STREQ(pinata::status_name(Status::Timeout), "PINATA_E_TIMEOUT");
    EXPECT_STREQ(pinata::status_name(static_cast<Status>(99)), "PINATA_E_UNKNOWN");
    std::ostringstream out;
    out << Status::Forbidden;
    EXPECT_EQ(out.str(), "PINATA_E_FORBIDDEN");
}

TEST(EnumNames, EndpointsAndOperatorsNameTheirCConstants) {
    EXPECT_STREQ(pinata::endpoint_name(pinata::Endpoint::Unpin), "PINATA_ENDPOINT_UNPIN");
    EXPECT_STREQ(pinata::endpoint_name(pinata::Endpoint::PinFileToIpfs), "PINATA_ENDPOINT_PIN_FILE_TO_IPFS");
    EXPECT_STREQ(pinata::endpoint_name(static_cast<pinata::Endpoint>(999)), "PINATA_ENDPOINT_UNKNOWN");
    EXPECT_STREQ(pinata::keyvalue_op_name(pinata::KeyvalueOp::Gte), "PINATA_OP_GTE");
    EXPECT_STREQ(pinata::keyvalue_op_name(pinata::KeyvalueOp::NotILike), "PINATA_OP_NOT_ILIKE");
    EXPECT_STREQ(pinata::keyvalue_op_name(static_cast<pinata::KeyvalueOp>(-7)), "PINATA_OP_UNKNOWN");
    std::ostringstream out;
    out << pinata::Endpoint::PinList << ' ' << pinata::KeyvalueOp::Between;
    EXPECT_EQ(out.str(), "PINATA_ENDPOINT_PIN_LIST PINATA_OP_BETWEEN");
}

// -- Error and Result -------------------------------------------------------------------

TEST(ErrorType, CarriesEveryFieldAndCopiesWithoutThrowing) {
    static_assert(std::is_base_of_v<std::runtime_error, Error>);
    static_assert(std::is_nothrow_copy_constructible_v<Error>);
    const Error e(Status::RateLimited, "slow down", 429, std::string("RATE_LIMITED"),
                  std::string("too many"), std::chrono::seconds(7));
    const Error copy = e;
    EXPECT_EQ(copy.status(), Status::RateLimited);
    EXPECT_STREQ(copy.status_name(), "PINATA_E_RATE_LIMITED");
    EXPECT_EQ(copy.http_status(), 429);
    EXPECT_EQ(copy.reason(), "RATE_LIMITED");
    EXPECT_EQ(copy.details(), "too many");
    EXPECT_EQ(copy.retry_after(), std::chrono::seconds(7));
    EXPECT_STREQ(copy.what(), "slow down");
    EXPECT_EQ(copy.message(), "slow down");

    const Error bare(Status::Io, "disk");
    EXPECT_EQ(bare.http_status(), 0);
    EXPECT_FALSE(bare.reason().has_value());
    EXPECT_FALSE(bare.details().has_value());
    EXPECT_FALSE(bare.retry_after().has_value());
}

TEST(ResultType, HoldsAValueOrAnError) {
    Result<std::string> good(std::string("value"));
    EXPECT_TRUE(good.ok());
    EXPECT_TRUE(static_cast<bool>(good));
    EXPECT_EQ(good.status(), Status::Ok);
    EXPECT_EQ(good.value(), "value");
    EXPECT_EQ(*good, "value");
    EXPECT_EQ(good->size(), 5u);
    EXPECT_EQ(good.value_or("fallback"), "value");

    Result<std::string> bad(Error(Status::NotFound, "gone", 404));
    EXPECT_FALSE(bad.ok());
    EXPECT_EQ(bad.status(), Status::NotFound);
    EXPECT_EQ(bad.error().http_status(), 404);
    EXPECT_EQ(bad.value_or("fallback"), "fallback");
    const Error thrown = expect_error([&] { (void)bad.value(); });
    EXPECT_EQ(thrown.status(), Status::NotFound);
    EXPECT_STREQ(thrown.what(), "gone");

    Result<void> done;
    EXPECT_TRUE(done.ok());
    EXPECT_NO_THROW(done.value());
    Result<void> failed(Error(Status::Io, "io"));
    EXPECT_EQ(failed.status(), Status::Io);
    EXPECT_THROW(failed.value(), Error);

    // A move-only value is moved out of an rvalue result.
    Result<Client> client = Client::try_from_jwt("a.b.c");
    ASSERT_TRUE(client.ok());
    Client taken = std::move(client).value();
    EXPECT_NE(taken.native_handle(), nullptr);
}

// -- RAII --------------------------------------------------------------------------------

TEST(Raii, EveryHandleTypeIsMoveOnly) {
    static_assert(move_only_v<Client>);
    static_assert(move_only_v<pinata::CancelToken>);
    static_assert(move_only_v<pinata::KeyPermissions>);
    static_assert(move_only_v<pinata::KeyResult>);
    static_assert(move_only_v<pinata::KeyQuery>);
    static_assert(move_only_v<pinata::KeyList>);
    static_assert(move_only_v<pinata::PinOptions>);
    static_assert(move_only_v<pinata::PinResult>);
    static_assert(move_only_v<pinata::PinJob>);
    static_assert(move_only_v<pinata::PinJobQuery>);
    static_assert(move_only_v<pinata::PinJobList>);
    static_assert(move_only_v<pinata::MetadataUpdate>);
    static_assert(move_only_v<pinata::PinListQuery>);
    static_assert(move_only_v<pinata::PinList>);
    SUCCEED();
}

TEST(Raii, MovesTransferOwnershipWithoutDoubleFree) {
    Client a = Client::from_jwt("a.b.c");
    pinata_client *const handle = a.native_handle();
    ASSERT_NE(handle, nullptr);

    Client b(std::move(a));
    EXPECT_EQ(b.native_handle(), handle);
    EXPECT_EQ(a.native_handle(), nullptr);  // NOLINT(bugprone-use-after-move)
    EXPECT_FALSE(static_cast<bool>(a));
    // A moved-from client is usable: its calls fail cleanly.
    EXPECT_EQ(a.try_test_auth().status(), Status::InvalidArgument);
    EXPECT_EQ(a.try_set_base_url("http://127.0.0.1:9").status(), Status::InvalidArgument);

    // Move-assignment frees the target's old handle (valgrind checks it) and takes over.
    Client c = Client::from_api_key("k", "s");
    c = std::move(b);
    EXPECT_EQ(c.native_handle(), handle);
    EXPECT_EQ(b.native_handle(), nullptr);  // NOLINT(bugprone-use-after-move)

    // Self-move leaves the handle in place.
    Client &alias = c;
    c = std::move(alias);
    EXPECT_EQ(c.native_handle(), handle);

    // Builders: moved-from ones hold no handle and mean "the defaults" again.
    pinata::PinOptions options;
    options.set_name("x");
    pinata_pin_options *const options_handle = options.native_handle();
    pinata::PinOptions moved = std::move(options);
    EXPECT_EQ(moved.native_handle(), options_handle);
    EXPECT_EQ(options.native_handle(), nullptr);  // NOLINT(bugprone-use-after-move)
    options.set_name("y");                        // a new handle is made
    EXPECT_NE(options.native_handle(), nullptr);
    EXPECT_NE(options.native_handle(), options_handle);

    pinata::PinListQuery query;
    query.set_name_contains("abc");
    pinata::PinListQuery query2 = std::move(query);
    query = std::move(query2);
    EXPECT_NE(query.native_handle(), nullptr);

    pinata::CancelToken token;
    pinata::CancelToken token2 = std::move(token);
    EXPECT_EQ(token.native_handle(), nullptr);  // NOLINT(bugprone-use-after-move)
    token.request();                            // NULL is ignored by libpinata
    token2.request();
    token2.reset();
}

TEST(Raii, BuildersMakeNoHandleUntilTheFirstSetter) {
    pinata::PinOptions options;
    pinata::KeyQuery keys;
    pinata::PinJobQuery jobs;
    pinata::PinListQuery pins;
    pinata::MetadataUpdate update;
    pinata::KeyPermissions permissions;
    EXPECT_EQ(options.native_handle(), nullptr);
    EXPECT_EQ(keys.native_handle(), nullptr);
    EXPECT_EQ(jobs.native_handle(), nullptr);
    EXPECT_EQ(pins.native_handle(), nullptr);
    EXPECT_EQ(update.native_handle(), nullptr);
    EXPECT_EQ(permissions.native_handle(), nullptr);
    options.set_cid_version(CidVersion::V1);
    EXPECT_NE(options.native_handle(), nullptr);
}

// -- strings -----------------------------------------------------------------------------

TEST(Strings, ViewsAreCopiedAndNulBytesRefusedBeforeTheCCall) {
    const std::string with_nul("a.b\0c", 5);
    auto r = Client::try_from_jwt(with_nul);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status(), Status::InvalidArgument);
    EXPECT_NE(std::string(r.error().what()).find("jwt"), std::string::npos);

    // A view that is not NUL-terminated is copied, not read past its end.
    const std::string buffer = "a.b.cXXXX";
    auto ok = Client::try_from_jwt(std::string_view(buffer).substr(0, 5));
    EXPECT_TRUE(ok.ok());

    pinata::PinOptions options;
    EXPECT_EQ(options.try_set_keyvalue(std::string("k\0", 2), "v").status(),
              Status::InvalidArgument);
    EXPECT_EQ(options.try_set_name(std::string_view("\0", 1)).status(), Status::InvalidArgument);
    // Invalid UTF-8 is the library's business, reported the same way.
    EXPECT_EQ(options.try_set_name("\xc3\x28").status(), Status::InvalidArgument);
}

// -- client configuration ----------------------------------------------------------------

TEST(ClientConfig, SettersValidateTheirArguments) {
    Client c = Client::from_jwt("a.b.c");
    EXPECT_EQ(expect_error([&] { c.set_base_url("ftp://x"); }).status(), Status::InvalidArgument);
    EXPECT_EQ(c.try_set_base_url("http://example.com").status(), Status::InvalidArgument);
    c.set_base_url("http://127.0.0.1:9/").set_base_url("https://api.pinata.cloud");
    c.set_allow_insecure_http(true).set_base_url("http://example.com");

    EXPECT_EQ(c.try_set_connect_timeout(0ms).status(), Status::InvalidArgument);
    EXPECT_EQ(c.try_set_connect_timeout(-5ms).status(), Status::InvalidArgument);
    EXPECT_EQ(c.try_set_request_timeout(0ms).status(), Status::InvalidArgument);
    EXPECT_EQ(c.try_set_stall_timeout(0ms).status(), Status::InvalidArgument);
    c.set_connect_timeout(5s).set_request_timeout(5s).set_stall_timeout(5s);
    c.set_retry_policy(0, 0ms).set_retry_policy(2, 10s);
    EXPECT_EQ(c.try_set_max_response_bytes(65535).status(), Status::InvalidArgument);
    c.set_max_response_bytes(65536).set_max_response_bytes(0);
    EXPECT_EQ(c.try_set_backoff(10ms, 2ms).status(), Status::InvalidArgument);
    c.set_backoff(1ms, 2ms);
    const Error missing = expect_error([&] { c.set_ca_bundle("/nonexistent/ca.pem"); });
    EXPECT_EQ(missing.status(), Status::Io);
    EXPECT_EQ(missing.http_status(), 0);

    c.set_http_version(HttpVersion::Http1_1).set_http_version(HttpVersion::Auto);
    EXPECT_EQ(c.try_set_http_version(static_cast<HttpVersion>(7)).status(), Status::InvalidArgument);
    c.set_proxy("").set_proxy("http://127.0.0.1:3128");
    EXPECT_TRUE(c.try_use_environment_proxy().ok());
    const Error proxy = expect_error([&] { c.set_proxy("ftp://user:hunter2-pw@127.0.0.1:1"); });
    EXPECT_EQ(proxy.status(), Status::InvalidArgument);
    EXPECT_EQ(std::string(proxy.what()).find("hunter2-pw"), std::string::npos);

    EXPECT_EQ(Client::try_from_jwt("").status(), Status::InvalidArgument);
    EXPECT_EQ(Client::try_from_jwt("a.b\r\nX-Evil: 1").status(), Status::InvalidArgument);
    EXPECT_EQ(Client::try_from_api_key("k\n", "s").status(), Status::InvalidArgument);
    const Error secret = expect_error([] { Client::from_api_key("key", "topsecret\n"); });
    EXPECT_NE(std::string(secret.what()).find("secret_api_key"), std::string::npos);
    EXPECT_EQ(std::string(secret.what()).find("topsecret"), std::string::npos);
}

// -- authentication ----------------------------------------------------------------------

TEST_F(PinataTest, AuthSucceedsWithJwtAndWithKeyPair) {
    EXPECT_EQ(client_.test_auth(), "Congratulations! You are communicating with the Pinata API!");
    Client pair = Client::from_api_key(emu_->api_key(), emu_->api_secret());
    reach(pair);
    EXPECT_FALSE(pair.test_auth().empty());
}

TEST_F(PinataTest, BadCredentialsThrowAnErrorWithEveryField) {
    Client bad = Client::from_api_key("0123456789abcdef0123", "s3cr3tvalue42");
    reach(bad);
    try {
        (void)bad.test_auth();
        FAIL() << "test_auth with bad credentials did not throw";
    } catch (const Error &e) {
        EXPECT_EQ(e.status(), Status::Unauthorized);
        EXPECT_EQ(e.http_status(), 401);
        EXPECT_EQ(e.reason(), std::optional<std::string>("INVALID_CREDENTIALS"));
        EXPECT_TRUE(e.details().has_value());
        EXPECT_FALSE(e.retry_after().has_value());
        EXPECT_NE(std::strlen(e.what()), 0u);
        EXPECT_EQ(std::string(e.what()).find("s3cr3tvalue42"), std::string::npos);
    }
    // The same error caught as a std::runtime_error.
    EXPECT_THROW((void)bad.test_auth(), std::runtime_error);
}

TEST_F(PinataTest, NonThrowingVariantReportsTheSameErrors) {
    Client bad = Client::from_jwt("not.a.jwt");
    ASSERT_TRUE(bad.try_set_base_url(api_url()).ok());
    reach(bad);
    Result<std::string> auth = bad.try_test_auth();
    ASSERT_FALSE(auth.ok());
    EXPECT_EQ(auth.status(), Status::Unauthorized);
    EXPECT_EQ(auth.error().http_status(), 401);
    EXPECT_EQ(auth.error().reason(), std::optional<std::string>("INVALID_CREDENTIALS"));
    EXPECT_THROW((void)auth.value(), Error);

    Result<std::string> good = client_.try_test_auth();
    ASSERT_TRUE(good.ok());
    EXPECT_FALSE(good->empty());

    auto missing = client_.try_pin_file(path("missing.txt"));
    EXPECT_EQ(missing.status(), Status::Io);
    auto bad_cid = client_.try_unpin("garbage");
    EXPECT_EQ(bad_cid.status(), Status::InvalidArgument);
    auto usage = client_.try_usage();
    ASSERT_TRUE(usage.ok());
    EXPECT_EQ(usage->pin_count, 0u);
    auto pins = client_.try_list_pins();
    ASSERT_TRUE(pins.ok());
    auto first = pins->try_next();
    ASSERT_TRUE(first.ok());
    EXPECT_FALSE(first->has_value());  // a fresh emulator has no pins
}

TEST_F(PinataTest, RetryAfterIsReported) {
    ASSERT_EQ(emu_->post("/__emulator/faults",
                         R"({"path":"/data/testAuthentication","kind":"status","status":429,)"
                         R"("retry_after":7,"times":1})"),
              200);
    client_.set_retry_policy(0, 0ms);
    const Error e = expect_error([&] { (void)client_.test_auth(); });
    EXPECT_EQ(e.status(), Status::RateLimited);
    EXPECT_EQ(e.http_status(), 429);
    EXPECT_EQ(e.retry_after(), std::optional<std::chrono::seconds>(7));
    EXPECT_NO_THROW((void)client_.test_auth());  // the fault applied once
}

TEST_F(PinataTest, AnswersPastTheCapAreRefused) {
    ASSERT_EQ(emu_->post("/__emulator/faults",
                         R"({"path":"/data/userPinnedDataTotal","kind":"huge_body","size_mb":2,)"
                         R"("chunked":true,"times":1})"),
              200);
    client_.set_max_response_bytes(1 << 20);
    const Error e = expect_error([&] { (void)client_.usage(); });
    EXPECT_EQ(e.status(), Status::Protocol);
    EXPECT_NE(std::string(e.what()).find("larger than 1048576 bytes"), std::string::npos) << e.what();
    client_.set_max_response_bytes(0);
    EXPECT_NO_THROW((void)client_.usage());  // the fault applied once
}

// -- cancellable clients -----------------------------------------------------------------

TEST_F(PinataTest, CancellableClientStopsOnlyItsOwnCalls) {
    pinata::CancelToken token;
    Client derived = client_.with_cancel(token);
    EXPECT_NO_THROW((void)derived.test_auth());
    token.request();
    EXPECT_EQ(derived.try_test_auth().status(), Status::Cancelled);
    EXPECT_NO_THROW((void)client_.test_auth());  // the parent is unaffected
    token.reset();
    // The parent may go first.
    client_ = Client();
    EXPECT_NO_THROW((void)derived.test_auth());
    // A client without a handle cannot derive one.
    EXPECT_EQ(client_.try_with_cancel(token).status(), Status::InvalidArgument);
    // Nor can a moved-from token be used.
    pinata::CancelToken gone = std::move(token);
    EXPECT_EQ(derived.try_with_cancel(token).status(), Status::InvalidArgument);  // NOLINT
}

TEST_F(PinataTest, CancelFromAnotherThreadStopsACallInFlight) {
    // The server holds the answer for 10 s; the token is raised after 200 ms.
    ASSERT_EQ(emu_->post("/__emulator/faults",
                         R"({"path":"/data/testAuthentication","kind":"delay",)"
                         R"("delay_ms":10000,"times":1})"),
              200);
    pinata::CancelToken token;
    const Client derived = client_.with_cancel(token);
    std::thread canceller([&token] {
        std::this_thread::sleep_for(200ms);
        token.request();
    });
    const auto start = std::chrono::steady_clock::now();
    const auto r = derived.try_test_auth();
    const auto elapsed = std::chrono::steady_clock::now() - start;
    canceller.join();
    EXPECT_EQ(r.status(), Status::Cancelled);
    EXPECT_LT(elapsed, 5s);
}

TEST_F(PinataTest, OneClientServesManyThreads) {
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int i = 0; i < 4; i++) {
        threads.emplace_back([&] {
            for (int j = 0; j < 5; j++) {
                if (client_.try_test_auth().ok()) {
                    ++ok;
                }
            }
        });
    }
    for (auto &t : threads) {
        t.join();
    }
    EXPECT_EQ(ok.load(), 20);
}

// -- API keys ----------------------------------------------------------------------------

TEST(KeyPermissionsBuilder, ValidatesEndpointsAndResources) {
    pinata::KeyPermissions p;
    p.set_admin(false).allow(pinata::Endpoint::UserPinPolicy).allow_resource("org:files:read");
    EXPECT_EQ(p.try_allow(static_cast<pinata::Endpoint>(10)).status(), Status::InvalidArgument);
    EXPECT_EQ(p.try_allow_resource("org:all").status(), Status::InvalidArgument);
}

TEST_F(PinataTest, KeysCreateListRevoke) {
    pinata::KeyPermissions perms;
    perms.allow(pinata::Endpoint::PinList);
    EXPECT_EQ(client_.try_create_key("", perms, 2).status(), Status::InvalidArgument);
    pinata::KeyResult key = client_.create_key("cpp-list-only", perms, 2);
    const std::string api_key = key.api_key();
    EXPECT_EQ(api_key.size(), 20u);
    EXPECT_EQ(key.secret().size(), 64u);
    EXPECT_NE(key.jwt().find('.'), std::string::npos);

    // The new key works at once, and its scope is enforced.
    Client scoped = Client::from_jwt(key.jwt());
    reach(scoped);
    const Error forbidden = expect_error([&] { (void)scoped.list_keys(); });
    EXPECT_EQ(forbidden.status(), Status::Forbidden);
    EXPECT_EQ(forbidden.http_status(), 403);
    EXPECT_EQ(forbidden.reason(), std::optional<std::string>("NO_SCOPES_FOUND"));

    // Listing, with a range-for over KeyInfo values.
    pinata::KeyList list = client_.list_keys();
    ASSERT_GE(list.size(), 2u);
    ASSERT_TRUE(list.total().has_value());
    EXPECT_GE(*list.total(), list.size());
    EXPECT_THROW((void)list.at(list.size()), std::out_of_range);
    int found = 0;
    for (const pinata::KeyInfo &info : list) {
        EXPECT_FALSE(info.id.empty());
        EXPECT_EQ(info.raw_json.find("\"secret\""), std::string::npos);
        if (info.key == api_key) {
            ++found;
            EXPECT_EQ(info.name, "cpp-list-only");
            EXPECT_EQ(info.max_uses, 2u);
            EXPECT_FALSE(info.admin);
            EXPECT_FALSE(info.revoked);
            EXPECT_TRUE(info.created_at.has_value());
        }
    }
    EXPECT_EQ(found, 1);

    // Filters, and every page.
    pinata::KeyQuery query;
    query.set_flags(false, true).set_name("CPP-LIST").set_offset(0);
    pinata::KeyList filtered = client_.list_all_keys(query);
    ASSERT_EQ(filtered.size(), 1u);
    EXPECT_EQ(filtered[0].key, api_key);
    EXPECT_EQ(query.try_set_name(std::nullopt).status(), Status::Ok);

    // Revocation.
    client_.revoke_key(api_key);
    const Error revoked = expect_error([&] { (void)scoped.test_auth(); });
    EXPECT_EQ(revoked.status(), Status::Forbidden);
    EXPECT_EQ(revoked.reason(), std::optional<std::string>("API_KEY_REVOKED"));
    query.set_flags(true);
    pinata::KeyList revoked_list = client_.list_keys(query);
    ASSERT_GE(revoked_list.size(), 1u);
    EXPECT_TRUE(revoked_list[0].revoked);
}

// -- local CIDs --------------------------------------------------------------------------

TEST_F(PinataTest, CidsOfBytesAndPaths) {
    EXPECT_EQ(pinata::cid_of_bytes("Hello World!", CidVersion::V1), kHelloV1);
    EXPECT_EQ(pinata::cid_of_bytes(std::string_view(), CidVersion::V0), kEmptyV0);
    EXPECT_EQ(pinata::cid_of_bytes(nullptr, 0, CidVersion::V0), kEmptyV0);
    EXPECT_EQ(pinata::try_cid_of_bytes("x", static_cast<CidVersion>(2)).status(),
              Status::InvalidArgument);
    EXPECT_EQ(pinata::try_cid_of_bytes(nullptr, 3, CidVersion::V1).status(),
              Status::InvalidArgument);
    // Binary content with NUL bytes is fine as data.
    const std::string binary("a\0b", 3);
    EXPECT_EQ(pinata::cid_of_bytes(binary, CidVersion::V1),
              pinata::cid_of_bytes(binary.data(), binary.size(), CidVersion::V1));

    const std::string hello = write_file("hello.txt", "Hello World!");
    EXPECT_EQ(pinata::cid_of_path(hello, CidVersion::V1), kHelloV1);
    EXPECT_EQ(pinata::cid_of_path(hello, CidVersion::V1, 0), kHelloV1);
    EXPECT_EQ(pinata::try_cid_of_path(path("missing"), CidVersion::V0).status(), Status::Io);
    EXPECT_EQ(expect_error([&] { pinata::cid_of_path(hello, CidVersion::ServiceDefault); })
                  .status(),
              Status::InvalidArgument);
}
