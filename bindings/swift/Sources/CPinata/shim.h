/* The one header of the CPinata module. Inside the libpinata repository it includes the
 * repository's own include/pinata.h (so the bindings always match the library built
 * next to them); elsewhere it takes <pinata.h> from the include path (-Xcc -I<dir> or
 * pkg-config's pinata.pc). */
#ifndef CPINATA_SHIM_H
#define CPINATA_SHIM_H

#if __has_include("../../../../include/pinata.h")
#include "../../../../include/pinata.h"
#else
#include <pinata.h>
#endif

#endif
