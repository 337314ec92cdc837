#include <iostream>
#include <regex>
#include <string>
#include <vector>

struct SignupForm {
    std::string username;
    std::string email;
};

static bool is_valid_username(const std::string& name)
{
    static const std::regex pattern(R"(^[a-z0-9_]{3,32}$)");
    return std::regex_match(name, pattern);
}

static bool is_valid_email(const std::string& email)
{
    if (email.size() > 254) {
        return false;
    }
    static const std::regex pattern(R"(^[a-zA-Z0-9_.+-]{1,64}@(?:[a-zA-Z0-9-]{1,63}\.){1,8}[a-zA-Z]{2,24}$)");
    return std::regex_match(email, pattern);
}

// Returns a list of human-readable problems; empty means the form is valid.
std::vector<std::string> validate_signup(const SignupForm& form)
{
    std::vector<std::string> errors;
    if (!is_valid_username(form.username)) {
        errors.push_back("username must be 3-32 lowercase letters, digits or underscores");
    }
    if (!is_valid_email(form.email)) {
        errors.push_back("please enter a valid e-mail address");
    }
    return errors;
}

int main(int argc, char* argv[])
{
    if (argc != 3) {
        std::cerr << "usage: " << argv[0] << " <username> <email>\n";
        return 2;
    }
    const auto errors = validate_signup({argv[1], argv[2]});
    if (errors.empty()) {
        std::cout << "ok\n";
        return 0;
    }
    for (const auto& e : errors) {
        std::cout << "error: " << e << "\n";
    }
    return 1;
}
