#include <string>
#include <vector>

struct Player {
    std::string name;
    int rating = 0;
    bool captain = false;
};

struct Team {
    std::vector<Player> members;
    std::vector<std::string> log;
};

void addPlayer(Team &team, const std::string &name, int rating)
{
    bool first = team.members.empty();
    team.members.push_back(Player{name, rating, false});
    Player &added = team.members.back();
    if (first) {
        team.members.push_back(Player{"bot-" + name, rating, false});
        added.captain = true;
    }
    team.log.push_back(name + " joined");
}
