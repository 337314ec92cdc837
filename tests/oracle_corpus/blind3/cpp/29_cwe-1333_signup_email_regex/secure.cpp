#include <iostream>
#include <regex>
#include <string>
#include <vector>

// Validation of the sign-up form, run by the registration endpoint before the
// account is created. Returns a list of human-readable problems (empty if the
// form is fine).
struct SignupForm {
    std::string email;
    std::string display_name;
    std::string password;
};

static bool valid_email(const std::string &email)
{
    if (email.size() > 254)
        return false;
    static const std::regex pattern(
        R"(^[a-zA-Z0-9_\-\.\+]{1,64}@(?:[a-zA-Z0-9\-]{1,63}\.){1,8}[a-zA-Z]{2,24}$)");
    return std::regex_match(email, pattern);
}

std::vector<std::string> validate_signup(const SignupForm &form)
{
    std::vector<std::string> problems;

    if (!valid_email(form.email))
        problems.emplace_back("Please enter a valid e-mail address.");
    if (form.display_name.empty() || form.display_name.size() > 50)
        problems.emplace_back("Display name must be 1 to 50 characters long.");
    if (form.password.size() < 12)
        problems.emplace_back("Password must be at least 12 characters long.");
    return problems;
}

int main()
{
    SignupForm form;
    std::getline(std::cin, form.email);
    std::getline(std::cin, form.display_name);
    std::getline(std::cin, form.password);

    auto problems = validate_signup(form);
    for (const auto &p : problems)
        std::cout << p << '\n';
    return problems.empty() ? 0 : 1;
}
