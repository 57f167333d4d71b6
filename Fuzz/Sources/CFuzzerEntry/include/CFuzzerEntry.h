// Nothing to import: this target only provides the executable's entry point (see entry.c).
