#include <cstdio>
#include <cstring>

// Outgoing message as queued by the newsletter sender. Header lines are
// kept in fixed-size buffers so the whole struct can be written to the
// spool file in one fwrite().
struct OutgoingMail {
    char from[128];
    char to[128];
    char subject[256];
    unsigned int flags;
};

// Fills in mail->from as "Display Name <address>", where display_name is the
// sender name the customer entered in the newsletter settings page and
// address is their verified sending address.
int set_from_header(OutgoingMail *mail, const char *display_name, const char *address)
{
    if (mail == nullptr || address == nullptr || *address == '\0')
        return -1;
    if (display_name == nullptr)
        display_name = "";

    if (*display_name != '\0') {
        strcpy(mail->from, display_name);
        strcat(mail->from, " <");
    } else {
        strcpy(mail->from, "<");
    }
    strcat(mail->from, address);
    strcat(mail->from, ">");
    return 0;
}

int spool_mail(const OutgoingMail *mail, const char *spool_path)
{
    FILE *fp = fopen(spool_path, "ab");
    if (fp == nullptr)
        return -1;
    size_t n = fwrite(mail, sizeof(*mail), 1, fp);
    fclose(fp);
    return n == 1 ? 0 : -1;
}
