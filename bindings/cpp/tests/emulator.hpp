// Test support: a pinata-emulator child process per test, a tiny HTTP client for its
// /__emulator/ hooks, and the GoogleTest fixture built on them.
#ifndef PINATA_CPP_TESTS_EMULATOR_HPP
#define PINATA_CPP_TESTS_EMULATOR_HPP

#include <gtest/gtest.h>
#include <sys/types.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "pinata.hpp"

namespace pinata_test {

/// The emulator binary: $PINATA_EMULATOR_BIN, else <repo>/target/debug/pinata-emulator.
std::string emulator_binary();

/// A running `pinata-emulator --listen 127.0.0.1:0 --quiet`, killed on destruction.
class Emulator {
public:
    /// Starts the emulator and reads its JSON line; throws std::runtime_error on failure.
    Emulator();
    ~Emulator();
    Emulator(const Emulator &) = delete;
    Emulator &operator=(const Emulator &) = delete;

    const std::string &url() const { return url_; }
    const std::string &jwt() const { return jwt_; }
    const std::string &api_key() const { return api_key_; }
    const std::string &api_secret() const { return api_secret_; }

    /// Sends `POST path` (with a JSON body when `json` is not empty) to the emulator and
    /// returns the HTTP status, or -1 when no answer could be read.
    int post(const std::string &path, const std::string &json = "") const;

private:
    void stop() noexcept;
    pid_t pid_ = -1;
    int stdout_fd_ = -1;
    int port_ = 0;
    std::string url_, jwt_, api_key_, api_secret_;
};

/// The TLS front (tests/tls_front_serve.sh, named by PINATA_TEST_FRONT_CMD) in front of
/// an emulator: nginx terminating TLS (HTTP/2 and HTTP/1.1), started per test.
class TlsFront {
public:
    /// Runs `command emulator_url` and reads its "URL CA" line; throws on failure.
    TlsFront(const std::string &command, const std::string &emulator_url);
    ~TlsFront();
    TlsFront(const TlsFront &) = delete;
    TlsFront &operator=(const TlsFront &) = delete;

    const std::string &url() const { return url_; }
    const std::string &ca() const { return ca_; }

    /// Stops nginx; true when the front's check passed (libpinata's requests used the
    /// HTTP version PINATA_TEST_HTTP_VERSION asks for).
    bool finish();

private:
    pid_t pid_ = -1;
    int stdin_fd_ = -1;
    std::string url_, ca_;
};

/// Runs `program` with extra environment variables; returns its exit status (or -1).
int run_program(const std::string &program, const std::vector<std::string> &args,
                const std::map<std::string, std::string> &env);

/// A fresh emulator, an admin client for it and a scratch directory, per test.
class PinataTest : public ::testing::Test {
protected:
    void SetUp() override;
    void TearDown() override;

    /// A client for the emulator's seeded admin key.
    pinata::Client admin_client() const;
    /// The base URL clients use: the emulator's, or the TLS front's when the suite runs
    /// over HTTPS (PINATA_TEST_FRONT_CMD, see test.sh).
    std::string api_url() const;
    /// Points `client` at api_url(), trusting the front's CA and forcing the pass's HTTP
    /// version (PINATA_TEST_HTTP_VERSION) when there is a front.
    void reach(pinata::Client &client) const;
    /// Writes `content` to `name` in the scratch directory; returns the full path.
    std::string write_file(const std::string &name, const std::string &content) const;
    /// A path in the scratch directory.
    std::string path(const std::string &name) const { return (dir_ / name).string(); }

    std::unique_ptr<Emulator> emu_;
    std::unique_ptr<TlsFront> front_;
    pinata::Client client_;
    std::filesystem::path dir_;
};

}  // namespace pinata_test

#endif
