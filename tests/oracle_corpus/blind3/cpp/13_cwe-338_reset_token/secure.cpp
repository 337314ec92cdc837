#include <sys/random.h>

#include <chrono>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <unordered_map>

// Issues the one-time tokens that are e-mailed to users who clicked
// "Forgot password". Tokens are valid for 30 minutes.
class PasswordResetService {
public:
    using Clock = std::chrono::steady_clock;

    std::string issue_token(std::int64_t user_id)
    {
        std::string token = random_token(32);
        pending_[token] = Pending{user_id, Clock::now() + std::chrono::minutes(30)};
        return token;
    }

    // Returns the user id the token was issued for, or -1 if it is unknown or
    // expired. A token can only be redeemed once.
    std::int64_t redeem(const std::string &token)
    {
        auto it = pending_.find(token);
        if (it == pending_.end())
            return -1;
        Pending p = it->second;
        pending_.erase(it);
        return Clock::now() <= p.expires ? p.user_id : -1;
    }

private:
    struct Pending {
        std::int64_t user_id;
        Clock::time_point expires;
    };

    static std::string random_token(std::size_t length)
    {
        static const char alphabet[] =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        constexpr std::size_t n = sizeof(alphabet) - 1;

        std::string token;
        token.reserve(length);
        while (token.size() < length) {
            unsigned char buf[64];
            if (getrandom(buf, sizeof buf, 0) != static_cast<ssize_t>(sizeof buf))
                throw std::runtime_error("getrandom failed");
            for (unsigned char b : buf) {
                // 248 = 4 * 62: reject the tail to keep the choice uniform
                if (b < 248 && token.size() < length)
                    token.push_back(alphabet[b % n]);
            }
        }
        return token;
    }

    std::unordered_map<std::string, Pending> pending_;
};
