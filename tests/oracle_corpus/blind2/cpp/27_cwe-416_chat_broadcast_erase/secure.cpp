#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <iostream>
#include <list>
#include <string>
#include <utility>

struct Client {
    int fd;
    std::string nick;
};

class ChatRoom {
public:
    void join(int fd, std::string nick)
    {
        clients_.push_back(Client{fd, std::move(nick)});
    }

    // Sends `text` to everyone, disconnecting clients that went away.
    void broadcast(const std::string& from, const std::string& text)
    {
        const std::string line = "<" + from + "> " + text + "\r\n";
        for (auto it = clients_.begin(); it != clients_.end();) {
            if (!send_all(it->fd, line)) {
                std::cerr << "dropping " << it->nick << " (fd " << it->fd << ")\n";
                ::close(it->fd);
                it = clients_.erase(it);
            } else {
                ++it;
            }
        }
    }

    std::size_t size() const { return clients_.size(); }

private:
    static bool send_all(int fd, const std::string& data)
    {
        std::size_t sent = 0;
        while (sent < data.size()) {
            const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
            if (n == -1 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                return false;
            }
            sent += static_cast<std::size_t>(n);
        }
        return true;
    }

    std::list<Client> clients_;
};

int main()
{
    ChatRoom room;
    int pair_a[2];
    int pair_b[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair_a) == -1 || socketpair(AF_UNIX, SOCK_STREAM, 0, pair_b) == -1) {
        return 1;
    }
    room.join(pair_a[0], "alice");
    room.join(pair_b[0], "bob");
    ::close(pair_b[1]);  // bob disconnects

    room.broadcast("server", "welcome!");
    std::cout << room.size() << " client(s) still connected\n";
    return 0;
}
