#include <thread>
#include <vector>

class Wallet {
public:
    bool withdraw(long cents)
    {
        if (balance_ < cents)
            return false;
        balance_ -= cents;
        return true;
    }

    void deposit(long cents)
    {
        balance_ += cents;
    }

private:
    long balance_ = 0;
};

int main()
{
    Wallet w;
    w.deposit(100);
    std::vector<std::thread> workers;
    for (int i = 0; i < 8; ++i)
        workers.emplace_back([&w] { w.withdraw(100); });
    for (auto &t : workers)
        t.join();
    return 0;
}
