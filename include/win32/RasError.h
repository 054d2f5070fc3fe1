/* RasError.h as Windows programs spell it (Linux file names are case-sensitive). */
#include <raserror.h>
