#include <map>
#include <stdexcept>
#include <string>

struct Order {
    std::string sku;
    int quantity;
    long total_cents;
};

Order make_order(const std::map<std::string, std::string> &form, const std::map<std::string, long> &prices)
{
    Order o;
    o.sku = form.at("sku");
    o.quantity = std::stoi(form.at("quantity"));
    o.total_cents = prices.at(o.sku) * o.quantity;
    return o;
}
