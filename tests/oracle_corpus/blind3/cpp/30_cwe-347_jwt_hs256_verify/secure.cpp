#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <ctime>
#include <optional>
#include <regex>
#include <string>

// Verifies the bearer tokens issued by our auth service (HS256 JWTs signed
// with the shared secret) and returns the token's claims JSON.

static std::optional<std::string> base64url_decode(const std::string &in)
{
    std::string b64 = in;
    for (char &c : b64) {
        if (c == '-')
            c = '+';
        else if (c == '_')
            c = '/';
    }
    while (b64.size() % 4 != 0)
        b64 += '=';

    std::string out(b64.size() / 4 * 3, '\0');
    int n = EVP_DecodeBlock(reinterpret_cast<unsigned char *>(out.data()),
                            reinterpret_cast<const unsigned char *>(b64.data()),
                            static_cast<int>(b64.size()));
    if (n < 0)
        return std::nullopt;
    std::size_t pad = 0;
    for (auto it = b64.rbegin(); it != b64.rend() && *it == '='; ++it)
        ++pad;
    out.resize(static_cast<std::size_t>(n) - pad);
    return out;
}

// Good enough for the flat claim sets our auth service produces.
static std::optional<std::string> json_string_field(const std::string &json, const std::string &key)
{
    std::regex re("\"" + key + "\"\\s*:\\s*\"([^\"]*)\"");
    std::smatch m;
    if (std::regex_search(json, m, re))
        return m[1].str();
    return std::nullopt;
}

static std::optional<long long> json_number_field(const std::string &json, const std::string &key)
{
    std::regex re("\"" + key + "\"\\s*:\\s*([0-9]+)");
    std::smatch m;
    if (std::regex_search(json, m, re))
        return std::stoll(m[1].str());
    return std::nullopt;
}

std::optional<std::string> verify_jwt(const std::string &token, const std::string &secret)
{
    std::size_t dot1 = token.find('.');
    std::size_t dot2 = dot1 == std::string::npos ? dot1 : token.find('.', dot1 + 1);
    if (dot2 == std::string::npos)
        return std::nullopt;

    const std::string signing_input = token.substr(0, dot2);
    auto header = base64url_decode(token.substr(0, dot1));
    auto claims = base64url_decode(token.substr(dot1 + 1, dot2 - dot1 - 1));
    auto signature = base64url_decode(token.substr(dot2 + 1));
    if (!header || !claims || !signature)
        return std::nullopt;

    auto alg = json_string_field(*header, "alg");
    if (!alg || *alg != "HS256")
        return std::nullopt; // only HS256 tokens are issued by the auth service

    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    if (!HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
              reinterpret_cast<const unsigned char *>(signing_input.data()),
              signing_input.size(), mac, &mac_len))
        return std::nullopt;
    if (signature->size() != mac_len ||
        CRYPTO_memcmp(mac, signature->data(), mac_len) != 0)
        return std::nullopt;

    auto exp = json_number_field(*claims, "exp");
    if (!exp || *exp < static_cast<long long>(std::time(nullptr)))
        return std::nullopt;
    return claims;
}
