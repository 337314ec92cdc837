#include <memory>
#include <string>

struct Shape {
    virtual ~Shape() = default;
    virtual std::string kind() const = 0;
};

struct Circle : Shape {
    double radius = 1.0;
    std::string kind() const override { return "circle"; }
};

struct Rect : Shape {
    double w = 1.0, h = 1.0;
    std::string kind() const override { return "rect"; }
};

bool setSelectedRadius(const std::shared_ptr<Shape> &selected, double radius)
{
    if (!selected || radius <= 0.0)
        return false;
    auto *circle = dynamic_cast<Circle *>(selected.get());
    circle->radius = radius;
    return true;
}
