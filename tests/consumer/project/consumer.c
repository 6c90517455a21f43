/* Uses the C ABI from an installed lien and checks the header and the library agree. */
#include <stdio.h>

#include <lien.h>

int main(void) {
  if (lien_version_number() != LIEN_VERSION_NUMBER) {
    fprintf(stderr, "header %d, library %d\n", LIEN_VERSION_NUMBER, lien_version_number());
    return 1;
  }
  printf("lien %s abi ok\n", lien_version_string());
  return 0;
}
