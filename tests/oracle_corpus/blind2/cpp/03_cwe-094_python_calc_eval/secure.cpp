#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

// Evaluates `expr` with python3 and returns what it printed, or std::nullopt
// if the interpreter reported an error.
std::optional<std::string> evaluate_expression(const std::string& expr)
{
    if (expr.empty() || expr.size() > 256) {
        return std::nullopt;
    }

    // Only plain arithmetic is accepted: digits, whitespace, parentheses,
    // decimal points and the operators + - * / %. "**" is rejected so that
    // huge exponentiations cannot tie up the interpreter.
    constexpr std::string_view allowed_symbols = "+-*/%().";
    const bool only_arithmetic = std::all_of(expr.begin(), expr.end(), [&](unsigned char c) {
        return std::isdigit(c) || c == ' ' || c == '\t' || allowed_symbols.find(static_cast<char>(c)) != std::string_view::npos;
    });
    if (!only_arithmetic || expr.find("**") != std::string::npos) {
        return std::nullopt;
    }

    const std::string code = "print(" + expr + ")";

    int fds[2];
    if (pipe(fds) == -1) {
        return std::nullopt;
    }

    pid_t pid = fork();
    if (pid == -1) {
        close(fds[0]);
        close(fds[1]);
        return std::nullopt;
    }
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        execlp("python3", "python3", "-I", "-c", code.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }

    close(fds[1]);
    std::string out;
    char buf[512];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof(buf))) > 0) {
        out.append(buf, static_cast<size_t>(n));
    }
    close(fds[0]);

    int status = 0;
    if (waitpid(pid, &status, 0) == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        return std::nullopt;
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) {
        out.pop_back();
    }
    return out;
}

int main()
{
    std::string line;
    std::cout << "calc> " << std::flush;
    while (std::getline(std::cin, line)) {
        if (line == "quit" || line == "exit") {
            break;
        }
        if (!line.empty()) {
            auto result = evaluate_expression(line);
            std::cout << (result ? *result : std::string("error: invalid expression")) << "\n";
        }
        std::cout << "calc> " << std::flush;
    }
    return 0;
}
