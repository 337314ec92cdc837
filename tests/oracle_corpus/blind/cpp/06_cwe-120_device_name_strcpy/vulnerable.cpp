#include <cstdio>
#include <cstring>
#include <string>

struct BtDeviceInfo {
    unsigned char addr[6];
    char name[32];
    int rssi;
};

class BtDevice {
public:
    void setName(const std::string &name) {
        std::strcpy(info_.name, name.c_str());
    }

    const BtDeviceInfo &info() const { return info_; }

private:
    BtDeviceInfo info_{};
};
