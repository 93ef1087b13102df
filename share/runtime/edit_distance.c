/* Levenshtein distance for "did you mean" hints. Freestanding and
 * libc-free: the unikernel's argument parser and the tool's config
 * checker compile this same file. */
#include <mirleft/args.h>

size_t ml_edit_distance(const char *a, size_t la, const char *b, size_t lb)
{
    size_t row[ML_EDIT_DISTANCE_MAX + 1];

    /* Names this long are not typos of each other worth a hint. */
    if (la > ML_EDIT_DISTANCE_MAX || lb > ML_EDIT_DISTANCE_MAX)
        return la > lb ? la : lb;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}
