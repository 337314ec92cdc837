#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>

// Returns the interface's hardware address as "aa:bb:cc:dd:ee:ff", or an
// empty string if the interface does not exist.
std::string get_mac_address(const std::string& ifname)
{
    const int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) {
        return "";
    }

    struct ifreq ifr;
    std::memset(&ifr, 0, sizeof(ifr));
    std::strcpy(ifr.ifr_name, ifname.c_str());

    if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0) {
        close(fd);
        return "";
    }
    close(fd);

    const auto* mac = reinterpret_cast<const unsigned char*>(ifr.ifr_hwaddr.sa_data);
    char buf[18];
    std::snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x",
                  mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
    return buf;
}

int main(int argc, char* argv[])
{
    const std::string ifname = argc > 1 ? argv[1] : "eth0";
    const std::string mac = get_mac_address(ifname);
    if (mac.empty()) {
        std::cerr << "no such interface: " << ifname << "\n";
        return 1;
    }
    std::cout << ifname << " " << mac << "\n";
    return 0;
}
