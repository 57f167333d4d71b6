import Foundation

/// What a command may read besides its arguments: standard input, whether it is a terminal, and the environment
/// that names the editor (`$VISUAL`, `$EDITOR`).
///
/// Commands read ``current``; tests run `margin` in process under another value to feed standard input or an
/// editor script without touching the test process's own input and environment.
public struct InputEnvironment: Sendable {
    /// Reads standard input to its end.
    public var readStandardInput: @Sendable () throws -> Data
    /// Whether standard input is an interactive terminal (only then may `vi` be opened as a last resort).
    public var standardInputIsTerminal: Bool
    /// Environment variables, of which `VISUAL` and `EDITOR` are read.
    public var variables: [String: String]

    /// Makes an input environment.
    public init(
        readStandardInput: @escaping @Sendable () throws -> Data, standardInputIsTerminal: Bool, variables: [String: String]
    ) {
        self.readStandardInput = readStandardInput
        self.standardInputIsTerminal = standardInputIsTerminal
        self.variables = variables
    }

    /// The process's own standard input and environment, as they are when read.
    public static var process: InputEnvironment {
        InputEnvironment(
            readStandardInput: { try FileHandle.standardInput.readToEnd() ?? Data() },
            standardInputIsTerminal: isatty(STDIN_FILENO) == 1,
            variables: ProcessInfo.processInfo.environment)
    }

    /// An environment whose standard input holds `input`, which is not a terminal, with these variables.
    public static func fixed(input: Data = Data(), variables: [String: String] = [:]) -> InputEnvironment {
        InputEnvironment(readStandardInput: { input }, standardInputIsTerminal: false, variables: variables)
    }

    /// The environment of the running command; nil means the process's own.
    @TaskLocal public static var override: InputEnvironment?

    /// The environment of the running command.
    static var current: InputEnvironment { override ?? .process }
}
