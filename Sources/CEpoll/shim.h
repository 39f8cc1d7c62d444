#ifndef C_EPOLL_SHIM_H
#define C_EPOLL_SHIM_H
// Linux's epoll, which Glibc's Swift module leaves out; streambench's raw client reads its
// subscribers with it, as a C load generator would.
#include <sys/epoll.h>
#endif
