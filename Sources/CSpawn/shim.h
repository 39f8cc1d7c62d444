#ifndef C_SPAWN_SHIM_H
#define C_SPAWN_SHIM_H
// glibc's posix_spawn_file_actions_addclosefrom_np (2.34+), declared only under _GNU_SOURCE,
// which Glibc's Swift module is not built with: test children must not inherit the test
// process's descriptors (a pipe another test reads to its end would stay open in them).
#include <spawn.h>
extern int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *actions, int from);
#endif
