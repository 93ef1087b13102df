/* qsort as heapsort: O(n log n) in the worst case, no recursion and no
 * extra memory, which is what a unikernel with a small fixed stack wants;
 * short arrays take insertion sort, which is faster there. Not stable
 * (C does not ask for it). */
#include <stdlib.h>
#include <stdint.h>

typedef int (*cmp_fn)(const void *, const void *);

static void swap(unsigned char *a, unsigned char *b, size_t size)
{
    if (size == sizeof(uintptr_t) && ((uintptr_t)a | (uintptr_t)b) %
                                         sizeof(uintptr_t) == 0) {
        uintptr_t t = *(uintptr_t *)a;
        *(uintptr_t *)a = *(uintptr_t *)b;
        *(uintptr_t *)b = t;
        return;
    }
    for (; size; size--, a++, b++) {
        unsigned char t = *a;
        *a = *b;
        *b = t;
    }
}

/* Moves element i down the max-heap of the first n elements. */
static void sift_down(unsigned char *base, size_t i, size_t n, size_t size,
                      cmp_fn cmp)
{
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            return;
        if (c + 1 < n && cmp(base + c * size, base + (c + 1) * size) < 0)
            c++;
        if (cmp(base + i * size, base + c * size) >= 0)
            return;
        swap(base + i * size, base + c * size, size);
        i = c;
    }
}

void qsort(void *p, size_t n, size_t size, cmp_fn cmp)
{
    unsigned char *base = p;
    size_t i, j;

    if (n < 2 || size == 0)
        return;
    if (n <= 12) {
        for (i = 1; i < n; i++)
            for (j = i; j && cmp(base + (j - 1) * size, base + j * size) > 0;
                 j--)
                swap(base + (j - 1) * size, base + j * size, size);
        return;
    }
    for (i = n / 2; i--;)
        sift_down(base, i, n, size, cmp);
    for (i = n - 1; i; i--) {
        swap(base, base + i * size, size);
        sift_down(base, 0, i, size, cmp);
    }
}
