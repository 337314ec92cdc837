#include <iostream>
#include <string>
#include <vector>

struct Task {
    std::string name;
    int priority;
};

void add_followups(std::vector<Task> &tasks)
{
    const std::size_t n = tasks.size();
    for (std::size_t i = 0; i < n; ++i) {
        const Task t = tasks[i];
        if (t.priority > 5) {
            tasks.push_back({"review: " + t.name, t.priority - 1});
            std::cout << "queued follow-up for " << t.name << '\n';
        }
    }
}
