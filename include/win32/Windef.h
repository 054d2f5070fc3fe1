/* Windef.h as Windows programs spell it (Linux file names are case-sensitive). */
#include <windef.h>
