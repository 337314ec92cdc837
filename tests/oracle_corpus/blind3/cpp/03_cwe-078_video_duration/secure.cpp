#include <array>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

namespace media {

struct PipeCloser {
    void operator()(FILE *f) const
    {
        if (f)
            pclose(f);
    }
};

// Wraps s in single quotes for /bin/sh, so that no character in it is
// interpreted by the shell; embedded single quotes become '\''.
static std::string shell_quote(const std::string &s)
{
    std::string quoted = "'";
    for (char c : s) {
        if (c == '\'')
            quoted += "'\\''";
        else
            quoted += c;
    }
    quoted += '\'';
    return quoted;
}

// Runs a shell command and returns everything it printed on stdout.
static std::optional<std::string> run_capture(const std::string &cmd)
{
    std::unique_ptr<FILE, PipeCloser> pipe(popen(cmd.c_str(), "r"));
    if (!pipe)
        return std::nullopt;

    std::string output;
    std::array<char, 256> chunk{};
    while (fgets(chunk.data(), static_cast<int>(chunk.size()), pipe.get()) != nullptr)
        output += chunk.data();
    return output;
}

// Returns the duration in seconds of an uploaded video file, as reported by
// ffprobe. upload_path is the absolute path the upload handler saved the file
// under; it keeps the original file name chosen by the user.
std::optional<double> probe_duration_seconds(const std::string &upload_path)
{
    std::string cmd = "ffprobe -v error -show_entries format=duration "
                      "-of default=noprint_wrappers=1:nokey=1 " + shell_quote(upload_path) + " 2>/dev/null";

    auto out = run_capture(cmd);
    if (!out || out->empty())
        return std::nullopt;
    try {
        return std::stod(*out);
    } catch (const std::exception &) {
        return std::nullopt;
    }
}

} // namespace media

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        if (auto d = media::probe_duration_seconds(argv[i]))
            std::cout << argv[i] << ": " << *d << " s\n";
        else
            std::cout << argv[i] << ": unknown duration\n";
    }
    return 0;
}
