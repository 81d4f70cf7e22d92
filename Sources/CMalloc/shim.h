// glibc's allocator tuning (mallopt), which the Glibc module does not bring in.
#ifndef CHIMERAD_CMALLOC_SHIM_H
#define CHIMERAD_CMALLOC_SHIM_H

#include <malloc.h>

#endif
