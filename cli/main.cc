#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "--version") == 0) {
    std::printf("cutroom %s\n", CUTROOM_VERSION);
    return 0;
  }
  std::fprintf(stderr, "usage: cutroom COMMAND [ARGS]\n");
  return 2;
}
