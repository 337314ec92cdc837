#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

// Writes `data` to a fresh temporary file and returns its path. The caller
// is responsible for unlinking the file when it is done with it.
std::string write_temp_image(const std::vector<unsigned char>& data)
{
    std::string path = "/tmp/thumbgen_" + std::to_string(getpid()) + ".img";
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd == -1) {
        throw std::runtime_error("cannot create temporary file: " + std::string(std::strerror(errno)));
    }

    size_t off = 0;
    while (off < data.size()) {
        const ssize_t n = ::write(fd, data.data() + off, data.size() - off);
        if (n == -1) {
            if (errno == EINTR) {
                continue;
            }
            const int err = errno;
            ::close(fd);
            ::unlink(path.c_str());
            throw std::runtime_error("write failed: " + std::string(std::strerror(err)));
        }
        off += static_cast<size_t>(n);
    }
    ::close(fd);
    return path;
}

int main()
{
    std::vector<unsigned char> upload((std::istreambuf_iterator<char>(std::cin)),
                                      std::istreambuf_iterator<char>());
    if (upload.empty()) {
        std::cerr << "no image data on stdin\n";
        return 1;
    }
    try {
        const std::string path = write_temp_image(upload);
        std::cout << "staged " << upload.size() << " bytes at " << path << "\n";
        // ... hand `path` to the image library, then clean up.
        ::unlink(path.c_str());
    } catch (const std::exception& e) {
        std::cerr << e.what() << "\n";
        return 1;
    }
    return 0;
}
