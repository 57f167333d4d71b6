import Foundation
import MarginCLI

ProcessMemory.tune()
let status = await MarginCLI.run(Array(CommandLine.arguments.dropFirst()))
exit(status)
