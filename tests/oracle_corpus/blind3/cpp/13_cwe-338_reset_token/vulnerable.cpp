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

        static std::mt19937 rng{std::random_device{}()};
        std::uniform_int_distribution<std::size_t> pick(0, n - 1);

        std::string token;
        token.reserve(length);
        for (std::size_t i = 0; i < length; ++i)
            token.push_back(alphabet[pick(rng)]);
        return token;
    }

    std::unordered_map<std::string, Pending> pending_;
};
