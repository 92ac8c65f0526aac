#include "emulator.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <thread>

extern char **environ;

namespace pinata_test {

namespace {

/// The value of `"key":"…"` in a flat JSON object (the emulator's start line).
std::string json_field(const std::string &line, const std::string &key) {
    const std::string needle = "\"" + key + "\":\"";
    const std::size_t start = line.find(needle);
    if (start == std::string::npos) {
        throw std::runtime_error("emulator line lacks \"" + key + "\": " + line);
    }
    std::string out;
    for (std::size_t i = start + needle.size(); i < line.size(); ++i) {
        const char c = line[i];
        if (c == '"') {
            return out;
        }
        if (c == '\\' && i + 1 < line.size()) {
            out.push_back(line[++i]);  // no \u escapes in URLs, keys or JWTs
        } else {
            out.push_back(c);
        }
    }
    throw std::runtime_error("unterminated string in emulator line: " + line);
}

/// Waits for `pid` up to `timeout`; true when it exited.
bool wait_exit(pid_t pid, std::chrono::milliseconds timeout, int *status) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const pid_t r = waitpid(pid, status, WNOHANG);
        if (r == pid || (r < 0 && errno != EINTR)) {
            return true;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

std::vector<char *> argv_of(std::vector<std::string> &args) {
    std::vector<char *> argv;
    for (auto &a : args) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    return argv;
}

}  // namespace

std::string emulator_binary() {
    const char *env = std::getenv("PINATA_EMULATOR_BIN");
    if (env != nullptr && env[0] != '\0') {
        return env;
    }
    return PINATA_DEFAULT_EMULATOR_BIN;
}

Emulator::Emulator() {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe failed");
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    std::vector<std::string> args = {emulator_binary(), "--listen", "127.0.0.1:0", "--quiet"};
    std::vector<char *> argv = argv_of(args);
    const int rc = posix_spawn(&pid_, args[0].c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        throw std::runtime_error("cannot start " + args[0] + ": " + std::strerror(rc));
    }
    stdout_fd_ = fds[0];

    // Read the one JSON line, within a generous deadline.
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (line.empty() || line.back() != '\n') {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        pollfd p{stdout_fd_, POLLIN, 0};
        if (left.count() <= 0 || poll(&p, 1, static_cast<int>(left.count())) <= 0) {
            stop();
            throw std::runtime_error("the emulator printed no start line in time");
        }
        char buf[512];
        const ssize_t n = read(stdout_fd_, buf, sizeof buf);
        if (n <= 0) {
            stop();
            throw std::runtime_error("the emulator exited before printing its start line");
        }
        line.append(buf, static_cast<std::size_t>(n));
    }
    try {
        url_ = json_field(line, "url");
        jwt_ = json_field(line, "jwt");
        api_key_ = json_field(line, "api_key");
        api_secret_ = json_field(line, "api_secret");
    } catch (...) {
        stop();
        throw;
    }
    const std::size_t colon = url_.rfind(':');
    port_ = std::atoi(url_.c_str() + colon + 1);
}

Emulator::~Emulator() { stop(); }

void Emulator::stop() noexcept {
    if (pid_ > 0) {
        int status = 0;
        kill(pid_, SIGTERM);
        if (!wait_exit(pid_, std::chrono::seconds(5), &status)) {
            kill(pid_, SIGKILL);
            wait_exit(pid_, std::chrono::seconds(5), &status);
        }
        pid_ = -1;
    }
    if (stdout_fd_ >= 0) {
        close(stdout_fd_);
        stdout_fd_ = -1;
    }
}

int Emulator::post(const std::string &path, const std::string &json) const {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -1;
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port_));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<const sockaddr *>(&addr), sizeof addr) != 0) {
        close(fd);
        return -1;
    }
    std::string request = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    if (!json.empty()) {
        request += "Content-Type: application/json\r\n";
    }
    request += "Content-Length: " + std::to_string(json.size()) + "\r\n\r\n" + json;
    std::size_t sent = 0;
    while (sent < request.size()) {
        const ssize_t n = send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) {
            close(fd);
            return -1;
        }
        sent += static_cast<std::size_t>(n);
    }
    std::string response;
    char buf[1024];
    ssize_t n;
    while ((n = recv(fd, buf, sizeof buf, 0)) > 0) {
        response.append(buf, static_cast<std::size_t>(n));
    }
    close(fd);
    // "HTTP/1.1 200 OK"
    if (response.size() < 12 || response.compare(0, 5, "HTTP/") != 0) {
        return -1;
    }
    return std::atoi(response.c_str() + response.find(' ') + 1);
}

int run_program(const std::string &program, const std::vector<std::string> &args,
                const std::map<std::string, std::string> &env) {
    std::vector<std::string> argv_s = {program};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char *> argv = argv_of(argv_s);

    std::vector<std::string> env_s;
    for (char **e = environ; *e != nullptr; ++e) {
        const std::string entry(*e);
        const std::string name = entry.substr(0, entry.find('='));
        if (env.count(name) == 0) {
            env_s.push_back(entry);
        }
    }
    for (const auto &kv : env) {
        env_s.push_back(kv.first + "=" + kv.second);
    }
    std::vector<char *> envp = argv_of(env_s);

    pid_t pid = -1;
    if (posix_spawn(&pid, program.c_str(), nullptr, nullptr, argv.data(), envp.data()) != 0) {
        return -1;
    }
    int status = 0;
    if (!wait_exit(pid, std::chrono::seconds(120), &status)) {
        kill(pid, SIGKILL);
        wait_exit(pid, std::chrono::seconds(5), &status);
        return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TlsFront::TlsFront(const std::string &command, const std::string &emulator_url) {
    int in[2], out[2];
    if (pipe2(in, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe failed");
    }
    if (pipe2(out, O_CLOEXEC) != 0) {
        close(in[0]);
        close(in[1]);
        throw std::runtime_error("pipe failed");
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    std::vector<std::string> args = {"/bin/bash", "-c", command + " \"$0\"", emulator_url};
    std::vector<char *> argv = argv_of(args);
    const int rc = posix_spawn(&pid_, args[0].c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(in[0]);
    close(out[1]);
    stdin_fd_ = in[1];
    if (rc != 0) {
        close(out[0]);
        pid_ = -1;
        throw std::runtime_error("cannot start the TLS front: " + std::string(std::strerror(rc)));
    }
    // "URL CA\n", within a generous deadline (certificates are made first).
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (line.empty() || line.back() != '\n') {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        pollfd p{out[0], POLLIN, 0};
        char buf[512];
        ssize_t n = 0;
        if (left.count() <= 0 || poll(&p, 1, static_cast<int>(left.count())) <= 0 ||
            (n = read(out[0], buf, sizeof buf)) <= 0) {
            close(out[0]);
            finish();
            throw std::runtime_error("the TLS front printed no URL and CA");
        }
        line.append(buf, static_cast<std::size_t>(n));
    }
    close(out[0]);
    const std::size_t space = line.find(' ');
    url_ = line.substr(0, space);
    ca_ = space == std::string::npos ? "" : line.substr(space + 1, line.size() - space - 2);
}

TlsFront::~TlsFront() { finish(); }

bool TlsFront::finish() {
    if (stdin_fd_ >= 0) {
        close(stdin_fd_);  // the front stops nginx and checks its log when its stdin closes
        stdin_fd_ = -1;
    }
    if (pid_ <= 0) {
        return false;
    }
    int status = 0;
    if (!wait_exit(pid_, std::chrono::seconds(30), &status)) {
        kill(pid_, SIGKILL);
        wait_exit(pid_, std::chrono::seconds(5), &status);
        status = -1;
    }
    pid_ = -1;
    return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

void PinataTest::SetUp() {
    try {
        emu_ = std::make_unique<Emulator>();
        const char *front = std::getenv("PINATA_TEST_FRONT_CMD");
        if (front != nullptr && front[0] != '\0') {
            front_ = std::make_unique<TlsFront>(front, emu_->url());
        }
    } catch (const std::exception &e) {
        FAIL() << e.what();
    }
    client_ = admin_client();
    std::string tmpl = (std::filesystem::temp_directory_path() / "pinata-cpp-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
}

void PinataTest::TearDown() {
    client_ = pinata::Client();
    if (front_) {
        EXPECT_TRUE(front_->finish()) << "libpinata's requests through the TLS front used the wrong HTTP version";
        front_.reset();
    }
    emu_.reset();
    if (!dir_.empty()) {
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }
}

pinata::Client PinataTest::admin_client() const {
    auto client = pinata::Client::from_jwt(emu_->jwt());
    reach(client);
    return client;
}

std::string PinataTest::api_url() const { return front_ ? front_->url() : emu_->url(); }

void PinataTest::reach(pinata::Client &client) const {
    client.set_base_url(api_url());
    if (!front_) {
        return;
    }
    client.set_ca_bundle(front_->ca());
    const char *v = std::getenv("PINATA_TEST_HTTP_VERSION");
    if (v != nullptr && std::strcmp(v, "1.1") == 0) {
        client.set_http_version(pinata::HttpVersion::Http1_1);
    } else if (v != nullptr && std::strcmp(v, "2") == 0) {
        client.set_http_version(pinata::HttpVersion::Http2);
    }
}

std::string PinataTest::write_file(const std::string &name, const std::string &content) const {
    const std::filesystem::path p = dir_ / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    return p.string();
}

}  // namespace pinata_test
