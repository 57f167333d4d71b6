// This target holds declarations only (include/CLibXML2.h): libxml2 itself is loaded when the first page is read
// (HTMLText's LibXML2Library.swift), not linked. Compiling the header here checks that it stands on its own.
#include "CLibXML2.h"
