/* <inttypes.h>: the PRI* format macros (no SCN*: there is no scanf).
 *
 * Which C type stands behind each <stdint.h> type differs between ABIs:
 * int64_t is long on x86_64 but long long on 32-bit ARM, and int32_t is
 * long on arm-none-eabi. GCC spells the type in __INT32_TYPE__ and friends,
 * which the preprocessor cannot compare as text; so for the length of this
 * header the keywords are given numeric weights, turning "long int" into
 * the expression +10 +1 = 11, which #if can test. */
#ifndef _ML_INTTYPES_H
#define _ML_INTTYPES_H

#include <stdint.h>

#define signed +0
#define int +1
#define long +10
#define short +100
#define char +1000
#if (__INT32_TYPE__) == 1
#define _ML_L32 ""
#elif (__INT32_TYPE__) == 11
#define _ML_L32 "l"
#elif (__INT32_TYPE__) == 21
#define _ML_L32 "ll"
#else
#error "inttypes.h: unexpected type for __INT32_TYPE__"
#endif
#if (__INT64_TYPE__) == 1
#define _ML_L64 ""
#elif (__INT64_TYPE__) == 11
#define _ML_L64 "l"
#elif (__INT64_TYPE__) == 21
#define _ML_L64 "ll"
#else
#error "inttypes.h: unexpected type for __INT64_TYPE__"
#endif
#if (__INT_LEAST32_TYPE__) == 1
#define _ML_LLEAST32 ""
#elif (__INT_LEAST32_TYPE__) == 11
#define _ML_LLEAST32 "l"
#elif (__INT_LEAST32_TYPE__) == 21
#define _ML_LLEAST32 "ll"
#else
#error "inttypes.h: unexpected type for __INT_LEAST32_TYPE__"
#endif
#if (__INT_LEAST64_TYPE__) == 1
#define _ML_LLEAST64 ""
#elif (__INT_LEAST64_TYPE__) == 11
#define _ML_LLEAST64 "l"
#elif (__INT_LEAST64_TYPE__) == 21
#define _ML_LLEAST64 "ll"
#else
#error "inttypes.h: unexpected type for __INT_LEAST64_TYPE__"
#endif
/* clang makes int_fast16_t a short (100), promoted to int by printf */
#if (__INT_FAST16_TYPE__) == 1 || (__INT_FAST16_TYPE__) == 100
#define _ML_LFAST16 ""
#elif (__INT_FAST16_TYPE__) == 11
#define _ML_LFAST16 "l"
#elif (__INT_FAST16_TYPE__) == 21
#define _ML_LFAST16 "ll"
#else
#error "inttypes.h: unexpected type for __INT_FAST16_TYPE__"
#endif
#if (__INT_FAST32_TYPE__) == 1
#define _ML_LFAST32 ""
#elif (__INT_FAST32_TYPE__) == 11
#define _ML_LFAST32 "l"
#elif (__INT_FAST32_TYPE__) == 21
#define _ML_LFAST32 "ll"
#else
#error "inttypes.h: unexpected type for __INT_FAST32_TYPE__"
#endif
#if (__INT_FAST64_TYPE__) == 1
#define _ML_LFAST64 ""
#elif (__INT_FAST64_TYPE__) == 11
#define _ML_LFAST64 "l"
#elif (__INT_FAST64_TYPE__) == 21
#define _ML_LFAST64 "ll"
#else
#error "inttypes.h: unexpected type for __INT_FAST64_TYPE__"
#endif
#if (__INTMAX_TYPE__) == 1
#define _ML_LMAX ""
#elif (__INTMAX_TYPE__) == 11
#define _ML_LMAX "l"
#elif (__INTMAX_TYPE__) == 21
#define _ML_LMAX "ll"
#else
#error "inttypes.h: unexpected type for __INTMAX_TYPE__"
#endif
#if (__INTPTR_TYPE__) == 1
#define _ML_LPTR ""
#elif (__INTPTR_TYPE__) == 11
#define _ML_LPTR "l"
#elif (__INTPTR_TYPE__) == 21
#define _ML_LPTR "ll"
#else
#error "inttypes.h: unexpected type for __INTPTR_TYPE__"
#endif
#undef signed
#undef int
#undef long
#undef short
#undef char

#define PRId8 "" "d"
#define PRIi8 "" "i"
#define PRIo8 "" "o"
#define PRIu8 "" "u"
#define PRIx8 "" "x"
#define PRIX8 "" "X"
#define PRId16 "" "d"
#define PRIi16 "" "i"
#define PRIo16 "" "o"
#define PRIu16 "" "u"
#define PRIx16 "" "x"
#define PRIX16 "" "X"
#define PRIdLEAST8 "" "d"
#define PRIiLEAST8 "" "i"
#define PRIoLEAST8 "" "o"
#define PRIuLEAST8 "" "u"
#define PRIxLEAST8 "" "x"
#define PRIXLEAST8 "" "X"
#define PRIdLEAST16 "" "d"
#define PRIiLEAST16 "" "i"
#define PRIoLEAST16 "" "o"
#define PRIuLEAST16 "" "u"
#define PRIxLEAST16 "" "x"
#define PRIXLEAST16 "" "X"
#define PRIdFAST8 "" "d"
#define PRIiFAST8 "" "i"
#define PRIoFAST8 "" "o"
#define PRIuFAST8 "" "u"
#define PRIxFAST8 "" "x"
#define PRIXFAST8 "" "X"
#define PRId32 _ML_L32 "d"
#define PRIi32 _ML_L32 "i"
#define PRIo32 _ML_L32 "o"
#define PRIu32 _ML_L32 "u"
#define PRIx32 _ML_L32 "x"
#define PRIX32 _ML_L32 "X"
#define PRId64 _ML_L64 "d"
#define PRIi64 _ML_L64 "i"
#define PRIo64 _ML_L64 "o"
#define PRIu64 _ML_L64 "u"
#define PRIx64 _ML_L64 "x"
#define PRIX64 _ML_L64 "X"
#define PRIdLEAST32 _ML_LLEAST32 "d"
#define PRIiLEAST32 _ML_LLEAST32 "i"
#define PRIoLEAST32 _ML_LLEAST32 "o"
#define PRIuLEAST32 _ML_LLEAST32 "u"
#define PRIxLEAST32 _ML_LLEAST32 "x"
#define PRIXLEAST32 _ML_LLEAST32 "X"
#define PRIdLEAST64 _ML_LLEAST64 "d"
#define PRIiLEAST64 _ML_LLEAST64 "i"
#define PRIoLEAST64 _ML_LLEAST64 "o"
#define PRIuLEAST64 _ML_LLEAST64 "u"
#define PRIxLEAST64 _ML_LLEAST64 "x"
#define PRIXLEAST64 _ML_LLEAST64 "X"
#define PRIdFAST16 _ML_LFAST16 "d"
#define PRIiFAST16 _ML_LFAST16 "i"
#define PRIoFAST16 _ML_LFAST16 "o"
#define PRIuFAST16 _ML_LFAST16 "u"
#define PRIxFAST16 _ML_LFAST16 "x"
#define PRIXFAST16 _ML_LFAST16 "X"
#define PRIdFAST32 _ML_LFAST32 "d"
#define PRIiFAST32 _ML_LFAST32 "i"
#define PRIoFAST32 _ML_LFAST32 "o"
#define PRIuFAST32 _ML_LFAST32 "u"
#define PRIxFAST32 _ML_LFAST32 "x"
#define PRIXFAST32 _ML_LFAST32 "X"
#define PRIdFAST64 _ML_LFAST64 "d"
#define PRIiFAST64 _ML_LFAST64 "i"
#define PRIoFAST64 _ML_LFAST64 "o"
#define PRIuFAST64 _ML_LFAST64 "u"
#define PRIxFAST64 _ML_LFAST64 "x"
#define PRIXFAST64 _ML_LFAST64 "X"
#define PRIdMAX _ML_LMAX "d"
#define PRIiMAX _ML_LMAX "i"
#define PRIoMAX _ML_LMAX "o"
#define PRIuMAX _ML_LMAX "u"
#define PRIxMAX _ML_LMAX "x"
#define PRIXMAX _ML_LMAX "X"
#define PRIdPTR _ML_LPTR "d"
#define PRIiPTR _ML_LPTR "i"
#define PRIoPTR _ML_LPTR "o"
#define PRIuPTR _ML_LPTR "u"
#define PRIxPTR _ML_LPTR "x"
#define PRIXPTR _ML_LPTR "X"

#endif
