#include <string>
#include <vector>

struct Option {
    std::string carrier;
    int days;
    int price_cents;
};

int cheapest_price(const std::vector<Option> &opts, int deadline_days)
{
    int best = -1;
    for (const auto &o : opts)
        if (o.days <= deadline_days && (best < 0 || o.price_cents < best))
            best = o.price_cents;
    return best;
}
