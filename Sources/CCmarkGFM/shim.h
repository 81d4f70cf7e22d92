// cmark-gfm, GitHub's CommonMark library, with its table extension (Debian's
// libcmark-gfm-dev and libcmark-gfm-extensions-dev): the HTML report is the
// Markdown report rendered by it.
#ifndef CHIMERAD_CCMARKGFM_SHIM_H
#define CHIMERAD_CCMARKGFM_SHIM_H

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>

#endif
