// libpinata C++ example of the v3 native-app pattern: a backend (holding the JWT)
// signs an upload URL, an app uploads with that URL alone (no client, no
// credentials), and the backend lists the private file and makes a download link.
//
//   PINATA_JWT=<JWT> [PINATA_API_URL=http://127.0.0.1:PORT]
//       [PINATA_GATEWAY_URL=https://NAME.mypinata.cloud] ./pinata_cpp_signed_upload
//
// Built by bindings/cpp/CMakeLists.txt; bindings/cpp/test.sh runs it against the
// local emulator (which serves the API, uploads and the gateway on one address).
#include <pinata.hpp>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

using namespace std::chrono_literals;
namespace v3 = pinata::v3;

int main() {
    const char *jwt = std::getenv("PINATA_JWT");
    const char *api = std::getenv("PINATA_API_URL");
    const char *gateway = std::getenv("PINATA_GATEWAY_URL");
    if (jwt == nullptr || *jwt == '\0') {
        std::cerr << "set PINATA_JWT (and PINATA_API_URL for the emulator)\n";
        return 2;
    }
    if (gateway == nullptr || *gateway == '\0') {
        gateway = api;
    }
    if (gateway == nullptr || *gateway == '\0') {
        std::cerr << "set PINATA_GATEWAY_URL to your gateway (https://NAME.mypinata.cloud)\n";
        return 2;
    }
    try {
        auto backend = pinata::Client::from_jwt(jwt);
        if (api != nullptr && *api != '\0') {
            backend.set_base_url(api);
            v3::try_set_upload_url(backend, api).value();
        }

        // 1. The backend signs: private, five minutes, text up to 1 MB, its own name.
        v3::SignOptions sign;
        sign.expires = 300s;
        sign.network = v3::Network::Private;
        sign.max_file_size = 1000000;
        sign.allow_mime_types = {"text/plain"};
        sign.name = "app note";
        sign.keyvalues["source"] = "cpp-app";
        const std::string url = v3::try_sign_upload_url(backend, sign).value();
        std::cout << "backend: signed an upload URL (not printed: it is a credential)\n";

        // 2. The app uploads with the URL alone.
        const auto up =
            v3::try_upload_bytes_signed(url, "written by the C++ app\n", "note.txt").value();
        std::cout << "app: uploaded " << up.file.cid << " (CID check: "
                  << (up.cid_check == pinata::CidCheck::Verified ? "verified" : "not verified")
                  << ")\n";

        // 3. The backend lists the private file and links to it.
        v3::FileQuery q;
        q.keyvalues["source"] = "cpp-app";
        // Keep the list: `.value()` of a temporary Result would dangle in a range-for.
        const std::vector<v3::FileRow> rows =
            v3::try_list_files(backend, v3::Network::Private, q).value();
        for (const auto &row : rows) {
            std::cout << "backend: private file " << row.id << "  " << row.cid << "  " << row.size
                      << " B  " << row.name.value_or("") << "\n";
        }
        const std::string link = v3::try_download_link(backend, gateway, up.file.cid, 60s).value();
        std::cout << "backend: download link, valid 60 s:\n  " << link << "\n";
    } catch (const pinata::Error &e) {
        // The message never holds the JWT or the signed URL.
        std::cerr << "failed: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
