#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

static std::string url_decode(const std::string& in)
{
    std::string out;
    out.reserve(in.size());
    for (size_t i = 0; i < in.size(); ++i) {
        if (in[i] == '+') {
            out += ' ';
        } else if (in[i] == '%' && i + 2 < in.size() &&
                   std::isxdigit(static_cast<unsigned char>(in[i + 1])) &&
                   std::isxdigit(static_cast<unsigned char>(in[i + 2]))) {
            out += static_cast<char>(std::stoi(in.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += in[i];
        }
    }
    return out;
}

static std::string get_param(const std::string& query_string, const std::string& name)
{
    size_t pos = 0;
    while (pos <= query_string.size()) {
        size_t amp = query_string.find('&', pos);
        if (amp == std::string::npos) {
            amp = query_string.size();
        }
        const std::string pair = query_string.substr(pos, amp - pos);
        const size_t eq = pair.find('=');
        if (eq != std::string::npos && pair.substr(0, eq) == name) {
            return url_decode(pair.substr(eq + 1));
        }
        pos = amp + 1;
    }
    return {};
}

static std::string html_escape(const std::string& s)
{
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

static std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

struct Article {
    std::string title;
    std::string url;
};

static std::vector<Article> search_articles(const std::string& query)
{
    std::vector<Article> hits;
    if (query.empty()) {
        return hits;
    }
    std::ifstream index("/var/www/data/articles.tsv");
    const std::string needle = lower(query);
    std::string line;
    while (std::getline(index, line) && hits.size() < 50) {
        const size_t tab = line.find('\t');
        if (tab == std::string::npos) {
            continue;
        }
        Article a{line.substr(0, tab), line.substr(tab + 1)};
        if (lower(a.title).find(needle) != std::string::npos) {
            hits.push_back(a);
        }
    }
    return hits;
}

int main()
{
    const char* qs = std::getenv("QUERY_STRING");
    const std::string query = get_param(qs ? qs : "", "q");
    const std::vector<Article> hits = search_articles(query);

    std::cout << "Content-Type: text/html; charset=utf-8\r\n\r\n";
    std::cout << "<!DOCTYPE html>\n<html><head><title>Article search</title></head><body>\n";
    std::cout << "<form action=\"/cgi-bin/search\" method=\"get\">"
                 "<input name=\"q\"> <button>Search</button></form>\n";
    std::cout << "<h2>" << hits.size() << " result(s) for \"" << query << "\"</h2>\n";
    std::cout << "<ul>\n";
    for (const Article& a : hits) {
        std::cout << "  <li><a href=\"" << html_escape(a.url) << "\">" << html_escape(a.title)
                  << "</a></li>\n";
    }
    std::cout << "</ul>\n</body></html>\n";
    return 0;
}
