#ifndef CSYSTEMD_SHIM_H
#define CSYSTEMD_SHIM_H
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>
#include <sys/uio.h>
#include <sys/socket.h>
#include <sys/un.h>

/* SD_LISTEN_FDS_START is a macro; exposed as a value Swift can read. */
static inline int csystemd_listen_fds_start(void) { return SD_LISTEN_FDS_START; }
#endif
