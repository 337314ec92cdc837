#include <sys/random.h>

#include <chrono>
#include <iostream>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <unordered_map>

class ResetTokenStore {
public:
    using Clock = std::chrono::steady_clock;

    explicit ResetTokenStore(std::chrono::minutes ttl) : ttl_(ttl) {}

    // Creates a new single-use token for `user_id`.
    std::string issue(const std::string& user_id)
    {
        std::string token = random_hex_token();
        std::lock_guard<std::mutex> lock(mu_);
        entries_[token] = Entry{user_id, Clock::now() + ttl_};
        return token;
    }

    // Returns the user the token was issued to and invalidates it.
    std::optional<std::string> redeem(const std::string& token)
    {
        std::lock_guard<std::mutex> lock(mu_);
        auto it = entries_.find(token);
        if (it == entries_.end()) {
            return std::nullopt;
        }
        Entry e = it->second;
        entries_.erase(it);
        if (Clock::now() > e.expires) {
            return std::nullopt;
        }
        return e.user_id;
    }

private:
    struct Entry {
        std::string user_id;
        Clock::time_point expires;
    };

    static std::string random_hex_token()
    {
        unsigned char bytes[16];
        static std::mt19937 rng(static_cast<unsigned>(
            std::chrono::system_clock::now().time_since_epoch().count()));
        std::uniform_int_distribution<int> dist(0, 255);
        for (unsigned char& b : bytes) {
            b = static_cast<unsigned char>(dist(rng));
        }

        static const char digits[] = "0123456789abcdef";
        std::string hex;
        hex.reserve(sizeof(bytes) * 2);
        for (unsigned char b : bytes) {
            hex.push_back(digits[b >> 4]);
            hex.push_back(digits[b & 0x0f]);
        }
        return hex;
    }

    std::chrono::minutes ttl_;
    std::mutex mu_;
    std::unordered_map<std::string, Entry> entries_;
};

int main()
{
    ResetTokenStore store(std::chrono::minutes(30));
    const std::string token = store.issue("user-1042");
    std::cout << "reset link: https://example.com/reset?token=" << token << "\n";
    auto user = store.redeem(token);
    std::cout << "redeemed for: " << (user ? *user : "<invalid>") << "\n";
    return 0;
}
