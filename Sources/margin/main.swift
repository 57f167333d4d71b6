import Dispatch
import Foundation
import MarginCLI

ProcessMemory.tune()
// A command that waits on nothing runs on this thread; every other one in a task, on the concurrency runtime.
let arguments = MarginCLI.processArguments
if let status = MarginCLI.runOnThisThread(rawArguments: arguments) {
    exit(status)
}
Task {
    exit(await MarginCLI.run(rawArguments: arguments))
}
dispatchMain()
