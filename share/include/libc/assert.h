/* <assert.h>: no include guard on purpose, so that re-including it after
 * changing NDEBUG takes effect, as C requires. */
#undef assert
#ifdef NDEBUG
#define assert(e) ((void)0)
#else
_Noreturn void ml_assert_fail(const char *expr, const char *file, int line,
                              const char *func);
#define assert(e) \
    ((e) ? (void)0 : ml_assert_fail(#e, __FILE__, __LINE__, __func__))
#endif

#ifndef static_assert
#define static_assert _Static_assert
#endif
