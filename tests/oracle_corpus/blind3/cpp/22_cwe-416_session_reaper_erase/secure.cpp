#include <chrono>
#include <cstdint>
#include <iostream>
#include <map>
#include <mutex>
#include <string>

// In-memory session store of the admin console.
class SessionStore {
public:
    using Clock = std::chrono::steady_clock;

    struct Session {
        std::string user;
        Clock::time_point last_seen;
        bool remember_me = false;
    };

    void touch(const std::string &sid, const std::string &user, bool remember)
    {
        std::lock_guard<std::mutex> lock(mu_);
        auto &s = sessions_[sid];
        s.user = user;
        s.remember_me = remember;
        s.last_seen = Clock::now();
    }

    // Called once a minute by the housekeeping timer: drops every session that
    // has been idle for longer than its timeout. Returns how many were dropped.
    std::size_t reap_idle()
    {
        std::lock_guard<std::mutex> lock(mu_);
        const auto now = Clock::now();
        std::size_t dropped = 0;

        for (auto it = sessions_.begin(); it != sessions_.end();) {
            const auto timeout = it->second.remember_me ? std::chrono::hours(24 * 14)
                                                        : std::chrono::hours(1);
            if (now - it->second.last_seen > timeout) {
                std::clog << "session of " << it->second.user << " expired\n";
                it = sessions_.erase(it);
                ++dropped;
            } else {
                ++it;
            }
        }
        return dropped;
    }

private:
    std::mutex mu_;
    std::map<std::string, Session> sessions_;
};
