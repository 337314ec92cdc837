#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdlib>
#include <cstring>
#include <ctime>
#include <iostream>
#include <stdexcept>
#include <string>

namespace {

const std::string& signing_secret()
{
    static const std::string secret = "whsec_4f1c9a7be2d84e0f93a6c1d57b2e8f60";
    return secret;
}

std::string to_hex(const unsigned char* data, unsigned int len)
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

}  // namespace

// Returns the value for the "Webhook-Signature" header of a delivery.
std::string sign_payload(const std::string& payload, std::time_t timestamp)
{
    const std::string signed_data = std::to_string(timestamp) + "." + payload;
    const std::string& key = signing_secret();

    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
             reinterpret_cast<const unsigned char*>(signed_data.data()), signed_data.size(),
             mac, &mac_len) == nullptr) {
        throw std::runtime_error("HMAC computation failed");
    }
    return "t=" + std::to_string(timestamp) + ",v1=" + to_hex(mac, mac_len);
}

int main()
{
    const std::string body = R"({"event":"invoice.paid","invoice_id":"inv_2931","amount":4200})";
    try {
        const std::string signature = sign_payload(body, std::time(nullptr));
        std::cout << "Webhook-Signature: " << signature << "\n";
    } catch (const std::exception& e) {
        std::cerr << e.what() << "\n";
        return 1;
    }
    return 0;
}
