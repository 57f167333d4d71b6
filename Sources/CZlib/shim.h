// zlib's deflate and inflate, from the system (Debian: zlib1g-dev), for the store's compressed revision bodies.
#include <zlib.h>
