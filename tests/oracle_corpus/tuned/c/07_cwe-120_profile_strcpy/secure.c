#include <stdio.h>
#include <string.h>

struct user_profile {
    char name[32];
    char city[32];
    int age;
};

void set_profile(struct user_profile *p, const char *name, const char *city, int age)
{
    snprintf(p->name, sizeof p->name, "%s", name);
    snprintf(p->city, sizeof p->city, "%s", city);
    p->age = age;
}

void print_profile(const struct user_profile *p)
{
    printf("%s (%d), %s\n", p->name, p->age, p->city);
}
