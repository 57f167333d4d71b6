// The parts of libxml2 that HTMLText uses: the HTML parser and the tree it builds. Only the declarations: the
// library itself is loaded when the first page is read (LibXML2Library.swift), not linked.
// The include path is given in Package.swift (`libxml2IncludePaths`): a pkg-config system library would also link
// libxml2 into every program that uses HTMLText.
#include <libxml/xmlversion.h>
// Debian's libxml2 is built with ICU, so encoding.h would include the system's <unicode/*.h>, whose types clash
// with the ICU copy Foundation ships (`'UErrorCode' has different definitions in different modules`) in every
// module that imports both. The ICU part of encoding.h only adds fields at the end of xmlCharEncodingHandler,
// which HTMLText never allocates or reads (libxml2 converts nothing: it is handed UTF-8), so it is left out.
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
