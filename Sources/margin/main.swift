import Foundation
import MarginCLI

ProcessMemory.tune()
let status = await MarginCLI.run(rawArguments: MarginCLI.processArguments)
exit(status)
