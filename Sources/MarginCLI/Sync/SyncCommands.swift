import ArgumentParser

extension MarginCommand {
    /// The commands that talk to other peers (`serve`, `sync`, `remote`, `status`) and manage a server's accounts
    /// (`user`).
    static var syncCommands: [any ParsableCommand.Type] {
        [ServeCommand.self, SyncCommand.self, RemoteCommand.self, StatusCommand.self, UserCommand.self]
    }
}
