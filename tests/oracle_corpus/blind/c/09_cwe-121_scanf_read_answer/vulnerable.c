#include <stdio.h>

int main(void)
{
    char name[64];
    int number;

    printf("What is your name? ");
    fflush(stdout);
    if (scanf("%s", name) != 1)
        return 1;

    printf("Favourite number? ");
    fflush(stdout);
    if (scanf("%d", &number) != 1)
        return 1;

    printf("Hello %s, %d is a fine number.\n", name, number);
    return 0;
}
