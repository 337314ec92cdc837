#include <syslog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <set>
#include <sstream>
#include <string>

// Control-socket handler of the backup agent: reads one text command per
// connection ("status", "start <job>", "cancel <job>", ...) from a client
// and dispatches it.
class ControlServer {
public:
    ControlServer()
    {
        openlog("backup-agent", LOG_PID | LOG_NDELAY, LOG_DAEMON);
    }
    ~ControlServer() { closelog(); }

    void handle_client(int fd, const std::string &peer)
    {
        char buf[512];
        ssize_t n = recv(fd, buf, sizeof(buf) - 1, 0);
        if (n <= 0) {
            close(fd);
            return;
        }
        buf[n] = '\0';
        std::string line(buf);
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
            line.pop_back();

        std::istringstream words(line);
        std::string verb;
        words >> verb;

        if (kAllowedVerbs.count(verb) == 0) {
            std::string msg = "rejected control command from " + peer + ": " + line;
            syslog(LOG_WARNING, msg.c_str());
            reply(fd, "ERR unknown command\n");
        } else {
            syslog(LOG_INFO, "control command '%s' from %s", verb.c_str(), peer.c_str());
            reply(fd, "OK\n");
        }
        close(fd);
    }

private:
    static void reply(int fd, const char *text)
    {
        std::string s(text);
        send(fd, s.data(), s.size(), MSG_NOSIGNAL);
    }

    const std::set<std::string> kAllowedVerbs{"status", "start", "cancel", "list"};
};
