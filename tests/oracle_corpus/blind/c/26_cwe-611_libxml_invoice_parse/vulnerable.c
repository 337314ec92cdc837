#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

int invoice_total(const char *xml, int len, double *total)
{
    xmlDocPtr doc = xmlReadMemory(xml, len, "invoice.xml", NULL,
                                  XML_PARSE_NOENT | XML_PARSE_DTDLOAD);
    if (doc == NULL)
        return -1;

    int ret = -1;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    for (xmlNodePtr n = root ? root->children : NULL; n != NULL; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, BAD_CAST "total") == 0) {
            xmlChar *text = xmlNodeGetContent(n);
            if (text != NULL) {
                *total = strtod((const char *)text, NULL);
                xmlFree(text);
                ret = 0;
            }
            break;
        }
    }
    xmlFreeDoc(doc);
    return ret;
}
