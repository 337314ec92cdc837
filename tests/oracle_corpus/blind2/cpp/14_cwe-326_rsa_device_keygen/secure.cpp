#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)>;

PkeyPtr generate_device_key()
{
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, nullptr), &EVP_PKEY_CTX_free);
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) <= 0) {
        return PkeyPtr(nullptr, &EVP_PKEY_free);
    }
    if (EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), 3072) <= 0) {
        return PkeyPtr(nullptr, &EVP_PKEY_free);
    }
    EVP_PKEY* raw = nullptr;
    if (EVP_PKEY_keygen(ctx.get(), &raw) <= 0) {
        return PkeyPtr(nullptr, &EVP_PKEY_free);
    }
    return PkeyPtr(raw, &EVP_PKEY_free);
}

bool write_private_key(EVP_PKEY* key, const std::string& path)
{
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, S_IRUSR | S_IWUSR);
    if (fd == -1) {
        return false;
    }
    FILE* f = fdopen(fd, "w");
    if (f == nullptr) {
        ::close(fd);
        return false;
    }
    const bool ok = PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
    return std::fclose(f) == 0 && ok;
}

bool write_public_key(EVP_PKEY* key, const std::string& path)
{
    FILE* f = std::fopen(path.c_str(), "w");
    if (f == nullptr) {
        return false;
    }
    const bool ok = PEM_write_PUBKEY(f, key) == 1;
    return std::fclose(f) == 0 && ok;
}

int main(int argc, char* argv[])
{
    const std::string prefix = argc > 1 ? argv[1] : "device";

    PkeyPtr key = generate_device_key();
    if (!key) {
        ERR_print_errors_fp(stderr);
        std::cerr << "key generation failed\n";
        return 1;
    }
    if (!write_private_key(key.get(), prefix + ".key") || !write_public_key(key.get(), prefix + ".pub")) {
        std::cerr << "failed to write key files\n";
        return 1;
    }
    std::cout << "wrote " << prefix << ".key and " << prefix << ".pub ("
              << EVP_PKEY_get_bits(key.get()) << "-bit RSA)\n";
    return 0;
}
