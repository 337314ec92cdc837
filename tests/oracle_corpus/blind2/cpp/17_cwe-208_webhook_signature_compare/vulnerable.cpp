#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdlib>
#include <iostream>
#include <iterator>
#include <string>

static std::string to_hex(const unsigned char* data, unsigned int len)
{
    static const char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(len * 2);
    for (unsigned int i = 0; i < len; ++i) {
        out.push_back(digits[data[i] >> 4]);
        out.push_back(digits[data[i] & 0x0f]);
    }
    return out;
}

// Checks the X-Hub-Signature-256 header ("sha256=<hex digest>") of a
// webhook delivery whose raw request body is `body`.
bool verify_webhook_signature(const std::string& body, const std::string& signature_header,
                              const std::string& secret)
{
    static const std::string prefix = "sha256=";
    if (signature_header.size() <= prefix.size() ||
        signature_header.compare(0, prefix.size(), prefix) != 0) {
        return false;
    }
    const std::string provided = signature_header.substr(prefix.size());

    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    if (HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
             reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &mac_len) == nullptr) {
        return false;
    }
    const std::string expected = to_hex(mac, mac_len);

    return provided == expected;
}

int main(int argc, char* argv[])
{
    if (argc != 2) {
        std::cerr << "usage: " << argv[0] << " <signature-header>  (body on stdin)\n";
        return 2;
    }
    const char* secret = std::getenv("WEBHOOK_SECRET");
    if (secret == nullptr) {
        std::cerr << "WEBHOOK_SECRET not set\n";
        return 2;
    }
    const std::string body((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    if (!verify_webhook_signature(body, argv[1], secret)) {
        std::cout << "Status: 401 Unauthorized\r\n\r\n";
        return 1;
    }
    std::cout << "Status: 204 No Content\r\n\r\n";
    return 0;
}
