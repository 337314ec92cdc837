#include <cstdlib>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

bool makeThumbnail(const std::string &inputPath, const std::string &outputPath)
{
    pid_t pid = fork();
    if (pid < 0)
        return false;
    if (pid == 0) {
        const char *argv[] = {"convert", inputPath.c_str(), "-resize", "256x256",
                              outputPath.c_str(), nullptr};
        execvp("convert", const_cast<char *const *>(argv));
        _exit(127);
    }
    int status = 0;
    if (waitpid(pid, &status, 0) < 0)
        return false;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}
