import Foundation
import MarginCLI

let status = await MarginCLI.run(Array(CommandLine.arguments.dropFirst()))
exit(status)
