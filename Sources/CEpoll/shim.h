#ifndef CEPOLL_SHIM_H
#define CEPOLL_SHIM_H
/* Linux's epoll (part of glibc), which Swift's Glibc module does not include. */
#include <sys/epoll.h>
#endif
