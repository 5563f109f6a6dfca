#ifndef SHIPSHAPE_CLIBGIT2_SHIM_H
#define SHIPSHAPE_CLIBGIT2_SHIM_H
#include <git2.h>
#endif
