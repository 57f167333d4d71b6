// The parts of libxml2 that HTMLText uses: the HTML parser and the tree it builds.
// The include path comes from pkg-config (libxml-2.0), e.g. -I/usr/include/libxml2.
#include <libxml/xmlversion.h>
// Debian's libxml2 is built with ICU, so encoding.h would include the system's <unicode/*.h>, whose types clash
// with the ICU copy Foundation ships (`'UErrorCode' has different definitions in different modules`) in every
// module that imports both. The ICU part of encoding.h only adds fields at the end of xmlCharEncodingHandler,
// which HTMLText never allocates or reads (libxml2 converts nothing: it is handed UTF-8), so it is left out.
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
