#include <libxml/parser.h>
#include <libxml/tree.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct InvoiceLine {
    std::string sku;
    std::string description;
    int quantity = 0;
    double unit_price = 0.0;
};

struct Invoice {
    std::string number;
    std::string customer;
    std::vector<InvoiceLine> lines;
};

namespace {

struct DocDeleter {
    void operator()(xmlDoc *doc) const { xmlFreeDoc(doc); }
};
using DocPtr = std::unique_ptr<xmlDoc, DocDeleter>;

std::string node_text(xmlNode *node)
{
    xmlChar *content = xmlNodeGetContent(node);
    if (!content)
        return {};
    std::string s(reinterpret_cast<const char *>(content));
    xmlFree(content);
    return s;
}

bool has_name(const xmlNode *node, const char *name)
{
    return node->type == XML_ELEMENT_NODE &&
           xmlStrcmp(node->name, reinterpret_cast<const xmlChar *>(name)) == 0;
}

InvoiceLine parse_line(xmlNode *line_node)
{
    InvoiceLine line;
    for (xmlNode *c = line_node->children; c; c = c->next) {
        if (has_name(c, "sku"))
            line.sku = node_text(c);
        else if (has_name(c, "description"))
            line.description = node_text(c);
        else if (has_name(c, "quantity"))
            line.quantity = std::atoi(node_text(c).c_str());
        else if (has_name(c, "unitPrice"))
            line.unit_price = std::strtod(node_text(c).c_str(), nullptr);
    }
    return line;
}

} // namespace

// Parses an invoice XML document uploaded by a supplier through the
// accounts-payable portal.
std::optional<Invoice> parse_invoice(const std::string &xml)
{
    const int options = XML_PARSE_NONET | XML_PARSE_NOBLANKS;
    DocPtr doc(xmlReadMemory(xml.data(), static_cast<int>(xml.size()),
                             "invoice.xml", nullptr, options));
    if (!doc)
        return std::nullopt;

    xmlNode *root = xmlDocGetRootElement(doc.get());
    if (!root || !has_name(root, "invoice"))
        return std::nullopt;

    Invoice inv;
    for (xmlNode *c = root->children; c; c = c->next) {
        if (has_name(c, "number")) {
            inv.number = node_text(c);
        } else if (has_name(c, "customer")) {
            inv.customer = node_text(c);
        } else if (has_name(c, "lines")) {
            for (xmlNode *l = c->children; l; l = l->next)
                if (has_name(l, "line"))
                    inv.lines.push_back(parse_line(l));
        }
    }
    return inv;
}
