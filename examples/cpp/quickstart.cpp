// libpinata C++ quickstart: authenticate, pin a file with metadata, list pins, unpin.
//
//   PINATA_JWT=<JWT> [PINATA_API_URL=http://127.0.0.1:PORT] ./pinata_cpp_quickstart
//
// Built by bindings/cpp/CMakeLists.txt; bindings/cpp/test.sh runs it against the
// local emulator.
#include <pinata.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

namespace fs = std::filesystem;

int main() {
    const char *jwt = std::getenv("PINATA_JWT");
    const char *url = std::getenv("PINATA_API_URL");
    if (jwt == nullptr || *jwt == '\0') {
        std::cerr << "set PINATA_JWT (and PINATA_API_URL for the emulator)\n";
        return 2;
    }

    // A small file to pin, removed again at the end.
    const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
    const fs::path file =
        fs::temp_directory_path() / ("pinata-cpp-quickstart-" + std::to_string(stamp) + ".txt");
    std::ofstream(file) << "Hello from the libpinata C++ quickstart!\n";

    int exit_code = 0;
    try {
        std::cout << "libpinata " << pinata::version() << "\n";
        auto client = pinata::Client::from_jwt(jwt);
        if (url != nullptr && *url != '\0') {
            client.set_base_url(url);
        }

        std::cout << "1. Authenticate: " << client.test_auth() << "\n";

        pinata::PinOptions options;
        options.set_name("cpp-quickstart.txt")
            .set_keyvalue("example", "cpp-quickstart")
            .set_keyvalue("revision", 1)
            .set_cid_version(pinata::CidVersion::V1);
        const pinata::PinResult pin = client.pin_file(file.string(), options);
        std::cout << "2. Pinned " << pin.cid() << " (" << pin.size() << " bytes, "
                  << (pin.cid_check() == pinata::CidCheck::Verified ? "CID verified locally"
                                                                     : "CID not verified")
                  << ")\n";

        std::cout << "3. Pins tagged example=cpp-quickstart:\n";
        pinata::PinListQuery query;
        query.set_status(pinata::PinStatusFilter::Pinned)
            .add_keyvalue("example", pinata::KeyvalueOp::Eq, "cpp-quickstart");
        for (const pinata::PinRow &row : client.list_pins(query)) {
            std::cout << "   " << row.cid << "  " << row.name.value_or("(no name)") << "  "
                      << row.keyvalues_json << "\n";
        }

        client.unpin(pin.cid());
        std::cout << "4. Unpinned " << pin.cid() << "\n";
    } catch (const pinata::Error &e) {
        // what() already names the HTTP status and Pinata's reason when there are any.
        std::cerr << "failed: " << e.status_name() << ": " << e.what() << "\n";
        exit_code = 1;
    }
    std::error_code ignored;
    fs::remove(file, ignored);
    return exit_code;
}
