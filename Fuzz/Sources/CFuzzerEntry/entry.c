#include <stddef.h>
#include <stdint.h>

// libFuzzer's driver (linked by `-sanitize=fuzzer`) and the Swift fuzz target (`MarginFuzz.swift`).
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

// SwiftPM links an executable with `main` renamed to `<module>_main` (`--defsym main=MarginFuzz_main`). Built with
// `-parse-as-library`, the Swift module has no entry point, so this one hands control to libFuzzer's driver, exactly
// as libFuzzer's own `main` would.
int MarginFuzz_main(int argc, char **argv) {
    return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput);
}
