#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cctype>
#include <ctime>
#include <iostream>
#include <optional>
#include <string>

static std::optional<std::string> base64url_decode(const std::string& in)
{
    static const std::string alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    unsigned int buffer = 0;
    int bits = 0;
    for (char c : in) {
        const size_t v = alphabet.find(c);
        if (v == std::string::npos) {
            return std::nullopt;
        }
        buffer = (buffer << 6) | static_cast<unsigned int>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
        }
    }
    return out;
}

static std::string base64url_encode(const unsigned char* data, size_t len)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    unsigned int buffer = 0;
    int bits = 0;
    for (size_t i = 0; i < len; ++i) {
        buffer = (buffer << 8) | data[i];
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out.push_back(alphabet[(buffer >> bits) & 0x3F]);
        }
    }
    if (bits > 0) {
        out.push_back(alphabet[(buffer << (6 - bits)) & 0x3F]);
    }
    return out;
}

// Minimal extraction of a top-level string or integer member from a flat JSON object.
static std::optional<std::string> json_member(const std::string& json, const std::string& key)
{
    const std::string needle = "\"" + key + "\"";
    size_t pos = json.find(needle);
    if (pos == std::string::npos) {
        return std::nullopt;
    }
    pos = json.find(':', pos + needle.size());
    if (pos == std::string::npos) {
        return std::nullopt;
    }
    ++pos;
    while (pos < json.size() && std::isspace(static_cast<unsigned char>(json[pos]))) {
        ++pos;
    }
    if (pos < json.size() && json[pos] == '"') {
        const size_t end = json.find('"', pos + 1);
        if (end == std::string::npos) {
            return std::nullopt;
        }
        return json.substr(pos + 1, end - pos - 1);
    }
    size_t end = pos;
    while (end < json.size() && (std::isdigit(static_cast<unsigned char>(json[end])) || json[end] == '-')) {
        ++end;
    }
    if (end == pos) {
        return std::nullopt;
    }
    return json.substr(pos, end - pos);
}

// Returns the decoded payload of a valid token, std::nullopt otherwise.
std::optional<std::string> verify_jwt(const std::string& token, const std::string& secret)
{
    const size_t dot1 = token.find('.');
    const size_t dot2 = dot1 == std::string::npos ? std::string::npos : token.find('.', dot1 + 1);
    if (dot2 == std::string::npos || token.find('.', dot2 + 1) != std::string::npos) {
        return std::nullopt;
    }
    const std::string header_b64 = token.substr(0, dot1);
    const std::string payload_b64 = token.substr(dot1 + 1, dot2 - dot1 - 1);
    const std::string signature_b64 = token.substr(dot2 + 1);

    const auto header = base64url_decode(header_b64);
    const auto payload = base64url_decode(payload_b64);
    if (!header || !payload) {
        return std::nullopt;
    }

    const auto alg = json_member(*header, "alg");
    if (!alg || (*alg != "HS256" && *alg != "none")) {
        return std::nullopt;
    }

    if (*alg == "HS256") {
        const std::string signing_input = header_b64 + "." + payload_b64;
        unsigned char mac[EVP_MAX_MD_SIZE];
        unsigned int mac_len = 0;
        if (HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
                 reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(),
                 mac, &mac_len) == nullptr) {
            return std::nullopt;
        }
        const std::string expected = base64url_encode(mac, mac_len);
        if (expected.size() != signature_b64.size() ||
            CRYPTO_memcmp(expected.data(), signature_b64.data(), expected.size()) != 0) {
            return std::nullopt;
        }
    }

    const auto exp = json_member(*payload, "exp");
    if (!exp) {
        return std::nullopt;
    }
    try {
        if (std::stoll(*exp) < static_cast<long long>(std::time(nullptr))) {
            return std::nullopt;
        }
    } catch (const std::exception&) {
        return std::nullopt;
    }
    return payload;
}

int main(int argc, char* argv[])
{
    if (argc != 3) {
        std::cerr << "usage: " << argv[0] << " <\"Bearer <jwt>\"> <secret>\n";
        return 2;
    }
    std::string auth = argv[1];
    const std::string bearer = "Bearer ";
    if (auth.compare(0, bearer.size(), bearer) == 0) {
        auth = auth.substr(bearer.size());
    }
    const auto claims = verify_jwt(auth, argv[2]);
    if (!claims) {
        std::cout << "401 invalid token\n";
        return 1;
    }
    std::cout << "authenticated, claims: " << *claims << "\n";
    return 0;
}
