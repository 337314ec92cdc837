#include <syslog.h>

#include <iostream>
#include <sstream>
#include <string>

struct AgentReport {
    std::string agent_id;
    std::string host;
    int severity = 0;  // 0 = info ... 3 = critical
    std::string message;
};

static int syslog_priority(int severity)
{
    switch (severity) {
    case 3: return LOG_CRIT;
    case 2: return LOG_ERR;
    case 1: return LOG_WARNING;
    default: return LOG_INFO;
    }
}

void report_agent_error(const AgentReport& r)
{
    std::ostringstream line;
    line << "agent=" << r.agent_id << " host=" << r.host << " severity=" << r.severity
         << " msg=" << r.message;
    const std::string text = line.str();
    syslog(syslog_priority(r.severity), "%s", text.c_str());
}

// Reads reports of the form "agent|host|severity|message", one per line.
int main()
{
    openlog("agentmon", LOG_PID, LOG_DAEMON);
    std::string input;
    while (std::getline(std::cin, input)) {
        std::istringstream fields(input);
        AgentReport r;
        std::string severity;
        if (!std::getline(fields, r.agent_id, '|') || !std::getline(fields, r.host, '|') ||
            !std::getline(fields, severity, '|') || !std::getline(fields, r.message)) {
            continue;
        }
        try {
            r.severity = std::stoi(severity);
        } catch (const std::exception&) {
            r.severity = 2;
        }
        report_agent_error(r);
    }
    closelog();
    return 0;
}
