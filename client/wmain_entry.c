/* librasapi_wmain: the main() of a UNICODE program whose entry point is wmain (_tmain with
 * UNICODE). Linux starts programs at main with arguments in the locale's multibyte encoding;
 * this converts them to wide strings and calls wmain. Linked from a static archive, it is
 * taken only by a program that has no main of its own. */
#include <locale.h>
#include <stdlib.h>
#include <wchar.h>

int wmain(int argc, wchar_t** argv);

int main(int argc, char** argv) {
  wchar_t** wide = calloc((size_t)argc + 1, sizeof(wchar_t*));
  int i;
  if (!wide) return 1;
  setlocale(LC_ALL, "");
  for (i = 0; i < argc; ++i) {
    size_t n = mbstowcs(NULL, argv[i], 0);
    if (n == (size_t)-1) {
      /* Not valid in the locale's encoding: each octet stands for itself. */
      size_t len = 0, k;
      while (argv[i][len]) ++len;
      wide[i] = calloc(len + 1, sizeof(wchar_t));
      if (!wide[i]) return 1;
      for (k = 0; k < len; ++k) wide[i][k] = (wchar_t)(unsigned char)argv[i][k];
      continue;
    }
    wide[i] = calloc(n + 1, sizeof(wchar_t));
    if (!wide[i]) return 1;
    mbstowcs(wide[i], argv[i], n + 1);
  }
  int status = wmain(argc, wide);
  for (i = 0; i < argc; ++i) free(wide[i]);
  free(wide);
  return status;
}
