// The C++ consumer of an installed libpinata, through the header-only wrapper
// pinata.hpp: authenticates against PINATA_API_URL with PINATA_JWT, and checks that a
// refused call arrives as a pinata::Error with the right status. Exits 0 only if both
// hold.
#include <pinata.hpp>

#include <cstdlib>
#include <iostream>

int main() {
    const char *jwt = std::getenv("PINATA_JWT");
    const char *url = std::getenv("PINATA_API_URL");
    if (jwt == nullptr || url == nullptr) {
        std::cerr << "set PINATA_JWT and PINATA_API_URL\n";
        return 1;
    }
    try {
        auto client = pinata::Client::from_jwt(jwt);
        client.set_base_url(url);
        std::string message = client.test_auth();

        auto refused = pinata::Client::from_api_key("0123456789abcdef0123", "wrong-secret");
        refused.set_base_url(url);
        auto r = refused.try_test_auth();
        if (r || r.error().status() != pinata::Status::Unauthorized) {
            std::cerr << "bad credentials were not refused with Unauthorized\n";
            return 1;
        }
        std::cout << "C++ consumer, libpinata " << pinata::version() << ": " << message << "\n";
    } catch (const pinata::Error &e) {
        std::cerr << e.status_name() << ": " << e.what() << "\n";
        return 1;
    }
    return 0;
}
