#include <cstdint>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

struct Job;
using JobHandler = void (*)(const Job&);

struct Job {
    uint32_t id;
    char name[48];
    int32_t priority;
    JobHandler handler;
};

static void run_backup(const Job& j) { std::cout << "[" << j.id << "] backing up " << j.name << "\n"; }
static void run_cleanup(const Job& j) { std::cout << "[" << j.id << "] cleaning " << j.name << "\n"; }
static void run_report(const Job& j) { std::cout << "[" << j.id << "] reporting on " << j.name << "\n"; }

static Job make_job(uint32_t id, const std::string& name, int32_t priority, JobHandler handler)
{
    Job j{};
    j.id = id;
    std::strncpy(j.name, name.c_str(), sizeof(j.name) - 1);
    j.priority = priority;
    j.handler = handler;
    return j;
}

bool save_queue(const std::string& path, const std::vector<Job>& jobs)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    const uint32_t count = static_cast<uint32_t>(jobs.size());
    out.write(reinterpret_cast<const char*>(&count), sizeof(count));
    for (const Job& j : jobs) {
        out.write(reinterpret_cast<const char*>(&j), sizeof(Job));
    }
    return static_cast<bool>(out);
}

std::vector<Job> load_queue(const std::string& path)
{
    std::vector<Job> jobs;
    std::ifstream in(path, std::ios::binary);
    uint32_t count = 0;
    if (!in.read(reinterpret_cast<char*>(&count), sizeof(count))) {
        return jobs;
    }
    for (uint32_t i = 0; i < count; ++i) {
        Job j;
        if (!in.read(reinterpret_cast<char*>(&j), sizeof(Job))) {
            break;
        }
        j.name[sizeof(j.name) - 1] = '\0';
        jobs.push_back(j);
    }
    return jobs;
}

int main(int argc, char* argv[])
{
    const std::string state = argc > 1 ? argv[1] : "/var/lib/jobsched/queue.bin";

    if (argc > 2 && std::string(argv[2]) == "--seed") {
        std::vector<Job> jobs = {make_job(1, "/srv/db", 10, run_backup),
                                 make_job(2, "/tmp/uploads", 1, run_cleanup),
                                 make_job(3, "weekly-usage", 5, run_report)};
        return save_queue(state, jobs) ? 0 : 1;
    }

    for (const Job& j : load_queue(state)) {
        j.handler(j);
    }
    return 0;
}
