#include <openssl/evp.h>
#include <openssl/rand.h>

#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

using Bytes = std::vector<unsigned char>;

struct CipherCtxFree {
    void operator()(EVP_CIPHER_CTX *ctx) const { EVP_CIPHER_CTX_free(ctx); }
};

static Bytes read_file(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot open " + path);
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Encrypts the nightly database dump with the 256-bit backup key before it is
// copied to the off-site storage bucket.
Bytes encrypt_backup(const Bytes &plain, const unsigned char key[32])
{
    std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree> ctx(EVP_CIPHER_CTX_new());
    if (!ctx)
        throw std::runtime_error("EVP_CIPHER_CTX_new failed");

    // output layout: 16-byte random IV followed by the ciphertext
    Bytes out(16);
    if (RAND_bytes(out.data(), 16) != 1)
        throw std::runtime_error("RAND_bytes failed");
    if (EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_cbc(), nullptr, key, out.data()) != 1)
        throw std::runtime_error("EVP_EncryptInit_ex failed");

    std::size_t header = out.size();
    out.resize(header + plain.size() + EVP_MAX_BLOCK_LENGTH);
    int len = 0;
    if (EVP_EncryptUpdate(ctx.get(), out.data() + header, &len, plain.data(),
                          static_cast<int>(plain.size())) != 1)
        throw std::runtime_error("EVP_EncryptUpdate failed");
    int total = len;
    if (EVP_EncryptFinal_ex(ctx.get(), out.data() + header + total, &len) != 1)
        throw std::runtime_error("EVP_EncryptFinal_ex failed");
    total += len;
    out.resize(header + total);
    return out;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        std::cerr << "usage: " << argv[0] << " <dump.sql> <keyfile> <out.enc>\n";
        return 2;
    }
    try {
        Bytes key = read_file(argv[2]);
        if (key.size() != 32)
            throw std::runtime_error("key file must contain exactly 32 bytes");
        Bytes enc = encrypt_backup(read_file(argv[1]), key.data());
        std::ofstream out(argv[3], std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char *>(enc.data()), static_cast<std::streamsize>(enc.size()));
        if (!out)
            throw std::runtime_error("cannot write output");
    } catch (const std::exception &e) {
        std::cerr << "backup encryption failed: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
