#include <fstream>
#include <iomanip>
#include <sstream>
#include <string>
#include <vector>
#include <openssl/evp.h>

bool verify_firmware(const std::string &path, const std::string &expected_hex)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return false;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (ctx == nullptr)
        return false;
    EVP_DigestInit_ex(ctx, EVP_md5(), nullptr);
    std::vector<char> buf(1 << 16);
    while (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0)
        EVP_DigestUpdate(ctx, buf.data(), static_cast<std::size_t>(in.gcount()));
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx, md, &len);
    EVP_MD_CTX_free(ctx);

    std::ostringstream hex;
    for (unsigned int i = 0; i < len; ++i)
        hex << std::hex << std::setw(2) << std::setfill('0') << static_cast<int>(md[i]);
    return hex.str() == expected_hex;
}
