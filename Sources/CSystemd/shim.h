// libsystemd's notify and journal APIs, from Debian's libsystemd-dev.
#ifndef CHIMERAD_CSYSTEMD_SHIM_H
#define CHIMERAD_CSYSTEMD_SHIM_H

#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>

#endif
