// The C++ wrapper's pinning and data API: uploads (file, directory, bytes, JSON),
// progress callbacks and cancellation, exceptions from callbacks, pin by CID and jobs,
// metadata updates, unpin, the pin list in range-for loops with filters, usage, and
// the quickstart example.
#include <chrono>
#include <cstdio>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "emulator.hpp"

using namespace std::chrono_literals;
using pinata::CidCheck;
using pinata::CidVersion;
using pinata::Error;
using pinata::KeyvalueOp;
using pinata::PinOptions;
using pinata::PinRow;
using pinata::Status;
using pinata_test::PinataTest;

namespace {

const char *const kHelloV1 = "bafkreid7qoywk77r7rj3slobqfekdvs57qwuwh5d2z3sqsw52iabe3mqne";
const char *const kEmptyV0 = "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH";

/// An exception type of the test's own, thrown from progress callbacks.
struct CallbackFailure : std::runtime_error {
    explicit CallbackFailure(int c) : std::runtime_error("callback failure"), code(c) {}
    int code;
};

std::size_t count(pinata::PinList list) {
    std::size_t n = 0;
    for (const PinRow &row : list) {
        (void)row;
        ++n;
    }
    return n;
}

}  // namespace

// -- uploads -----------------------------------------------------------------------------

TEST_F(PinataTest, UploadFileWithCidV1IsVerified) {
    const std::string hello = write_file("hello.txt", "Hello World!");
    PinOptions options;
    options.set_cid_version(CidVersion::V1);
    pinata::PinResult r = client_.pin_file(hello, options);
    EXPECT_EQ(r.cid(), kHelloV1);
    EXPECT_EQ(r.size(), 12u);
    EXPECT_FALSE(r.timestamp().empty());
    EXPECT_FALSE(r.is_duplicate());
    EXPECT_EQ(r.local_cid(), std::optional<std::string>(kHelloV1));
    EXPECT_EQ(r.cid_check(), CidCheck::Verified);
    EXPECT_NE(r.raw_json().find("IpfsHash"), std::string::npos);

    EXPECT_EQ(client_.try_pin_file(path("missing.txt"), options).status(), Status::Io);
    EXPECT_EQ(client_.try_pin_file("/dev/zero", options).status(), Status::Io);

    // wrapWithDirectory on a single file.
    options.set_wrap_with_directory(true);
    pinata::PinResult wrapped = client_.pin_file(hello, options);
    EXPECT_EQ(wrapped.cid().rfind("bafybei", 0), 0u);
    EXPECT_EQ(wrapped.cid_check(), CidCheck::Verified);
}

TEST_F(PinataTest, UploadBytesAndJson) {
    PinOptions options;
    options.set_cid_version(CidVersion::V1).set_verify_cid(false);
    pinata::PinResult first = client_.pin_bytes("Hello World!", "h.txt", options);
    EXPECT_EQ(first.cid(), kHelloV1);
    EXPECT_EQ(first.cid_check(), CidCheck::NotChecked);
    EXPECT_FALSE(first.local_cid().has_value());
    const std::string again = "Hello World!";
    pinata::PinResult dup = client_.pin_bytes(again.data(), again.size(), "h.txt", options);
    EXPECT_TRUE(dup.is_duplicate());
    EXPECT_EQ(client_.try_pin_bytes("x", "a/b", options).status(), Status::InvalidArgument);

    // The empty file, with default options.
    EXPECT_EQ(client_.pin_bytes(std::string_view(), "empty").cid(), kEmptyV0);

    // JSON.
    EXPECT_EQ(client_.try_pin_json("{bad").status(), Status::InvalidArgument);
    pinata::PinResult json = client_.pin_json(R"({"hello": "world"})");
    EXPECT_EQ(json.cid(), pinata::cid_of_bytes(R"({"hello":"world"})", CidVersion::V0));
    EXPECT_EQ(json.cid_check(), CidCheck::Verified);
}

TEST_F(PinataTest, DirectoryUploadEqualsCidOfPath) {
    write_file("site/index.html", "<h1>hi</h1>");
    write_file("site/css/a.css", "body{}");
    write_file("site/.hidden", "h");
    PinOptions options;
    options.set_cid_version(CidVersion::V1).set_name("my site");
    pinata::PinResult r = client_.pin_file(path("site"), options);
    EXPECT_EQ(r.cid(), pinata::cid_of_path(path("site"), CidVersion::V1));
    EXPECT_EQ(r.cid_check(), CidCheck::Verified);
}

// -- progress and cancellation ----------------------------------------------------------

TEST_F(PinataTest, ProgressCallbackSeesEveryByte) {
    const std::string big = write_file("big.bin", std::string(2 * 1024 * 1024, 'x'));
    int calls = 0;
    uint64_t last_sent = 0, last_total = 0;
    PinOptions options;
    options.set_progress([&](uint64_t sent, uint64_t total) {
        ++calls;
        last_sent = sent;
        last_total = total;
        return true;
    });
    (void)client_.pin_file(big, options);
    EXPECT_GT(calls, 0);
    EXPECT_GT(last_total, 2u * 1024 * 1024);
    EXPECT_EQ(last_sent, last_total);

    // Clearing the callback stops the calls.
    options.set_progress(nullptr);
    calls = 0;
    (void)client_.pin_bytes("small", "s.txt", options);
    EXPECT_EQ(calls, 0);
}

TEST_F(PinataTest, ProgressReturningFalseCancels) {
    const std::string big = write_file("big.bin", std::string(2 * 1024 * 1024, 'y'));
    int calls = 0;
    PinOptions options;
    options.set_progress([&](uint64_t, uint64_t) { return ++calls < 1; });
    const auto r = client_.try_pin_file(big, options);
    EXPECT_EQ(r.status(), Status::Cancelled);
    EXPECT_EQ(calls, 1);
    EXPECT_THROW((void)client_.pin_file(big, options), Error);
    // Nothing was pinned.
    EXPECT_EQ(client_.usage().pin_count, 0u);
}

TEST_F(PinataTest, ExceptionFromProgressCallbackIsRethrownAfterTheCall) {
    const std::string big = write_file("big.bin", std::string(2 * 1024 * 1024, 'z'));
    int calls = 0;
    bool fail = true;
    PinOptions options;
    options.set_progress([&](uint64_t, uint64_t) -> bool {
        ++calls;
        if (fail) {
            throw CallbackFailure(42);
        }
        return true;
    });
    // The throwing form rethrows the callback's own exception, not a pinata::Error.
    try {
        (void)client_.pin_file(big, options);
        FAIL() << "the callback's exception was swallowed";
    } catch (const CallbackFailure &e) {
        EXPECT_EQ(e.code, 42);
    }
    EXPECT_EQ(calls, 1);  // the call was cancelled at the first throw
    // So does the non-throwing form: the exception is not a library error.
    EXPECT_THROW((void)client_.try_pin_bytes(std::string(1024 * 1024, 'q'), "q.bin", options),
                 CallbackFailure);
    // Any exception type, not only std::exception.
    options.set_progress([](uint64_t, uint64_t) -> bool { throw 7; });
    EXPECT_THROW((void)client_.pin_file(big, options), int);
    EXPECT_EQ(client_.usage().pin_count, 0u);

    // The options still work afterwards; no stale exception is rethrown.
    fail = false;
    calls = 0;
    options.set_progress([&](uint64_t, uint64_t) -> bool {
        ++calls;
        if (fail) {
            throw CallbackFailure(1);
        }
        return true;
    });
    EXPECT_NO_THROW((void)client_.pin_file(big, options));
    EXPECT_GT(calls, 0);
}

TEST_F(PinataTest, ProgressCallbackSurvivesMovesOfTheOptions) {
    const std::string big = write_file("big.bin", std::string(1024 * 1024, 'm'));
    int calls = 0;
    PinOptions original;
    original.set_progress([&](uint64_t, uint64_t) {
        ++calls;
        return true;
    });
    PinOptions moved(std::move(original));
    PinOptions assigned;
    assigned = std::move(moved);
    (void)client_.pin_file(big, assigned);
    EXPECT_GT(calls, 0);
    // The moved-from options are the defaults: no callback.
    calls = 0;
    (void)client_.pin_bytes("other", "o.txt", original);  // NOLINT(bugprone-use-after-move)
    EXPECT_EQ(calls, 0);
}

TEST_F(PinataTest, CancelTokenOnOptionsStopsUploads) {
    const std::string big = write_file("big.bin", std::string(2 * 1024 * 1024, 'c'));
    PinOptions options;
    {
        pinata::CancelToken token;
        options.set_cancel(token);
        token.request();
        EXPECT_EQ(client_.try_pin_file(big, options).status(), Status::Cancelled);
        token.reset();
    }  // the options keep their own reference to the flag
    EXPECT_NO_THROW((void)client_.pin_file(big, options));
    options.clear_cancel();
    EXPECT_NO_THROW((void)client_.pin_bytes("after", "a.txt", options));
}

// -- pin by CID and jobs -----------------------------------------------------------------

TEST_F(PinataTest, PinByCidAndJobs) {
    PinOptions options;
    options.set_name("remote").add_host_node("/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWExample");
    EXPECT_EQ(options.try_add_host_node("not-a-multiaddr").status(), Status::InvalidArgument);
    EXPECT_EQ(client_.try_pin_by_cid("Qmnope", options).status(), Status::InvalidArgument);

    pinata::PinJob job = client_.pin_by_cid(kHelloV1, options);
    EXPECT_EQ(job.cid(), kHelloV1);
    EXPECT_EQ(job.status(), "prechecking");
    EXPECT_EQ(job.name(), std::optional<std::string>("remote"));
    EXPECT_FALSE(job.id().empty());
    EXPECT_FALSE(job.raw_json().empty());
    const pinata::PinJobInfo info = job.info();
    EXPECT_EQ(info.id, job.id());
    ASSERT_EQ(emu_->post("/__emulator/pin-jobs/" + job.id() + "/advance"), 200);

    pinata::PinJobQuery query;
    EXPECT_EQ(query.try_set_paging(1001, 0).status(), Status::InvalidArgument);
    query.set_status("searching").set_cid(kHelloV1).set_sort(pinata::JobSort::OldestFirst)
        .set_paging(10, 0);
    pinata::PinJobList list = client_.list_pin_jobs(query);
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list.total(), std::optional<uint64_t>(1));
    int rows = 0;
    for (const pinata::PinJobInfo &row : list) {
        EXPECT_EQ(row.status, "searching");
        EXPECT_EQ(row.id, job.id());
        ++rows;
    }
    EXPECT_EQ(rows, 1);
    EXPECT_THROW((void)list.at(1), std::out_of_range);

    // A filter that matches nothing, set with the all-at-once setter.
    query.set("retrieving", std::nullopt);
    EXPECT_TRUE(client_.list_pin_jobs(query).empty());
    EXPECT_GE(client_.list_pin_jobs().size(), 1u);
}

// -- metadata and unpin ------------------------------------------------------------------

TEST_F(PinataTest, MetadataUpdateRenamesAndChangesKeyvalues) {
    PinOptions options;
    options.set_name("original").set_keyvalue("gone", "soon").set_keyvalue("n", 1);
    const std::string cid = client_.pin_bytes("meta", "m.txt", options).cid();

    pinata::MetadataUpdate update;
    update.set_name("renamed").set("env", "prod").set("n", 7).remove("gone");
    EXPECT_EQ(update.try_set("k", std::numeric_limits<double>::quiet_NaN()).status(),
              Status::InvalidArgument);
    EXPECT_EQ(client_.try_update_metadata("nope", update).status(), Status::InvalidArgument);
    client_.update_metadata(cid, update);

    pinata::PinListQuery query;
    query.set_cid(cid);
    std::vector<PinRow> rows;
    for (const PinRow &row : client_.list_pins(query)) {
        rows.push_back(row);
    }
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].name, std::optional<std::string>("renamed"));
    EXPECT_NE(rows[0].keyvalues_json.find("\"env\""), std::string::npos);
    EXPECT_NE(rows[0].keyvalues_json.find("prod"), std::string::npos);
    EXPECT_EQ(rows[0].keyvalues_json.find("gone"), std::string::npos);

    // An empty update is sent as such.
    EXPECT_NO_THROW(client_.update_metadata(cid, pinata::MetadataUpdate()));
}

// The pin list keeps its own reference to the client: a temporary client is enough,
// even in a range-for (valgrind checks the memory).
TEST_F(PinataTest, PinListOutlivesItsClient) {
    client_.pin_bytes("outlives", "o.txt");
    std::size_t n = 0;
    for (const PinRow &row : admin_client().list_pins()) {
        EXPECT_FALSE(row.cid.empty());
        ++n;
    }
    EXPECT_GE(n, 1u);
}

TEST_F(PinataTest, UnpinThenNotFound) {
    const std::string cid = client_.pin_bytes("to unpin", "u.txt").cid();
    EXPECT_EQ(client_.try_unpin("garbage").status(), Status::InvalidArgument);
    client_.unpin(cid);
    try {
        client_.unpin(cid);
        FAIL() << "a second unpin did not throw";
    } catch (const Error &e) {
        EXPECT_EQ(e.status(), Status::NotFound);
        EXPECT_EQ(e.http_status(), 400);
        EXPECT_EQ(e.reason(), std::optional<std::string>("CURRENT_USER_HAS_NOT_PINNED_CID"));
    }
    pinata::PinListQuery unpinned;
    unpinned.set_status(pinata::PinStatusFilter::Unpinned);
    std::size_t n = 0;
    for (const PinRow &row : client_.list_pins(unpinned)) {
        EXPECT_EQ(row.cid, cid);
        EXPECT_TRUE(row.date_unpinned.has_value());
        ++n;
    }
    EXPECT_EQ(n, 1u);
}

// -- the pin list ------------------------------------------------------------------------

TEST_F(PinataTest, PinListRangeForWithFilters) {
    for (int i = 0; i < 12; i++) {
        PinOptions options;
        char name[16];
        std::snprintf(name, sizeof name, "item-%02d", i);
        options.set_name(name).set_keyvalue("n", i).set_keyvalue("parity", i % 2 ? "odd" : "even");
        (void)client_.pin_bytes("content " + std::to_string(i), "f.txt", options);
    }

    // Three pages of 5, 5 and 2, walked by one range-for.
    pinata::PinListQuery paged;
    EXPECT_EQ(paged.try_set_paging(0).status(), Status::InvalidArgument);
    paged.set_paging(5);
    pinata::PinList list = client_.list_pins(paged);
    std::size_t n = 0;
    for (const PinRow &row : list) {
        EXPECT_FALSE(row.id.empty());
        EXPECT_FALSE(row.cid.empty());
        EXPECT_GT(row.size, 0u);
        EXPECT_TRUE(row.date_pinned.has_value());
        EXPECT_FALSE(row.date_unpinned.has_value());
        ASSERT_TRUE(row.name.has_value());
        EXPECT_EQ(row.name->rfind("item-", 0), 0u);
        EXPECT_NE(row.keyvalues_json.find("parity"), std::string::npos);
        EXPECT_NE(row.raw_json.find("ipfs_pin_hash"), std::string::npos);
        ++n;
    }
    EXPECT_EQ(n, 12u);
    EXPECT_EQ(list.total(), std::optional<uint64_t>(12));
    EXPECT_FALSE(list.next().has_value());  // stays at the end

    // Also with `auto` (a copy) and `auto &`.
    n = 0;
    for (auto row : client_.list_pins(paged)) {
        row.name.reset();
        ++n;
    }
    EXPECT_EQ(n, 12u);

    // Keyvalue filters: string equality, then a number range on top.
    pinata::PinListQuery kv;
    EXPECT_EQ(kv.try_add_keyvalue("parity", KeyvalueOp::Eq, "odd", "x").status(),
              Status::InvalidArgument);
    kv.add_keyvalue("parity", KeyvalueOp::Eq, "odd");
    EXPECT_EQ(count(client_.list_pins(kv)), 6u);
    EXPECT_EQ(kv.try_add_keyvalue("n", KeyvalueOp::Between, 2.0).status(),
              Status::InvalidArgument);
    kv.add_keyvalue("n", KeyvalueOp::Between, 2, 6);
    EXPECT_EQ(count(client_.list_pins(kv)), 2u);  // 3 and 5

    // Text, status, size and date filters.
    pinata::PinListQuery q;
    q.set_name_contains("item-1");
    EXPECT_EQ(count(client_.list_pins(q)), 2u);  // item-10, item-11
    q.set_name_contains(std::nullopt).set_status(pinata::PinStatusFilter::Unpinned);
    EXPECT_EQ(count(client_.list_pins(q)), 0u);
    q.set_status(pinata::PinStatusFilter::Pinned).set_size_range(0, 1000000);
    EXPECT_EQ(q.try_set_size_range(uint64_t(1) << 63, std::nullopt).status(),
              Status::InvalidArgument);
    q.set_pinned_between("2000-01-01T00:00:00.000Z", std::nullopt);
    EXPECT_EQ(count(client_.list_pins(q)), 12u);
    q.set_pinned_between("2999-01-01T00:00:00.000Z", std::nullopt);
    EXPECT_EQ(count(client_.list_pins(q)), 0u);
    q.set_dates(std::nullopt, std::nullopt, std::nullopt, std::nullopt).set_size_range(1000000,
                                                                                      std::nullopt);
    EXPECT_EQ(count(client_.list_pins(q)), 0u);
    q.set_size_range(std::nullopt, std::nullopt).set_text(std::nullopt, std::nullopt, "item-0");
    EXPECT_EQ(count(client_.list_pins(q)), 10u);  // item-00 … item-09
    EXPECT_EQ(q.try_set_cid(std::string_view("\xff")).status(), Status::InvalidArgument);
    // The failed setter left the other text filters in place.
    EXPECT_EQ(count(client_.list_pins(q)), 10u);
}

TEST_F(PinataTest, PinListFailureThrowsAndIterationResumes) {
    for (int i = 0; i < 3; i++) {
        (void)client_.pin_bytes("resume " + std::to_string(i), "r.txt");
    }
    client_.set_retry_policy(0, 0ms);
    ASSERT_EQ(emu_->post("/__emulator/faults",
                         R"({"path":"/data/pinList","method":"GET","kind":"status",)"
                         R"("status":500,"times":1})"),
              200);
    pinata::PinList list = client_.list_pins();
    try {
        for (const PinRow &row : list) {
            (void)row;
            FAIL() << "the first page should have failed";
        }
        FAIL() << "the range-for did not throw";
    } catch (const Error &e) {
        EXPECT_EQ(e.status(), Status::Server);
        EXPECT_EQ(e.http_status(), 500);
    }
    // The failed page is fetched again.
    std::size_t n = 0;
    for (const PinRow &row : list) {
        (void)row;
        ++n;
    }
    EXPECT_EQ(n, 3u);

    // The non-throwing form.
    ASSERT_EQ(emu_->post("/__emulator/faults",
                         R"({"path":"/data/pinList","kind":"status","status":500,"times":1})"),
              200);
    pinata::PinList again = client_.list_pins();
    auto failed = again.try_next();
    EXPECT_EQ(failed.status(), Status::Server);
    auto row = again.try_next();
    ASSERT_TRUE(row.ok());
    EXPECT_TRUE(row->has_value());

    // An iterator without a handle fails cleanly.
    pinata::PinList empty;
    EXPECT_EQ(empty.try_next().status(), Status::InvalidArgument);
}

// -- usage -------------------------------------------------------------------------------

TEST_F(PinataTest, UsageCountsPins) {
    for (int i = 0; i < 4; i++) {
        (void)client_.pin_bytes("usage " + std::to_string(i), "u.txt");
    }
    const pinata::Usage usage = client_.usage();
    EXPECT_EQ(usage.pin_count, 4u);
    EXPECT_GT(usage.size_total, 0u);
    EXPECT_GE(usage.size_with_replications, usage.size_total);
}

// -- the example ---------------------------------------------------------------------------

TEST_F(PinataTest, QuickstartExampleRunsAgainstTheEmulator) {
    const int status = pinata_test::run_program(
        PINATA_QUICKSTART_BIN, {}, {{"PINATA_JWT", emu_->jwt()}, {"PINATA_API_URL", emu_->url()}});
    EXPECT_EQ(status, 0);
    // It unpinned what it pinned.
    pinata::PinListQuery pinned;
    pinned.set_status(pinata::PinStatusFilter::Pinned);
    EXPECT_EQ(count(client_.list_pins(pinned)), 0u);
}
