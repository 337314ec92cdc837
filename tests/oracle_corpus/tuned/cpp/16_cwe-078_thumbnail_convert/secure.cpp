#include <cstdlib>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

bool make_thumbnail(const std::string &original_name, const std::string &thumb_path)
{
    const std::string upload = "/var/uploads/" + original_name;
    pid_t pid = fork();
    if (pid < 0)
        return false;
    if (pid == 0) {
        execlp("convert", "convert", upload.c_str(), "-thumbnail", "200x200", thumb_path.c_str(),
               static_cast<char *>(nullptr));
        _exit(127);
    }
    int status = 0;
    if (waitpid(pid, &status, 0) < 0)
        return false;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}
