import Foundation

/// The seed reports shipped with `margin` as a resource (`Sources/MarginCLI/DemoSeeds`), found beside the
/// executable wherever it is run from.
enum DemoSeeds {
    /// The name of the resource folder inside the resource bundle.
    static let folderName = "DemoSeeds"
    /// The resource bundle SwiftPM builds for this module, beside the executable.
    static let bundleName = "Marginalia_MarginCLI.resources"

    /// The shipped seeds folder, or nil if the executable was copied without its resource bundle.
    ///
    /// Looked up by path rather than through `Bundle.module`, whose accessor stops the process when the bundle
    /// is missing.
    static func shippedFolder() -> String? {
        var folders: [URL] = []
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            folders.append(executable.deletingLastPathComponent())
        }
        folders.append(Bundle.main.bundleURL.deletingLastPathComponent())
        folders.append(URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent())
        for folder in folders {
            let candidate = folder.appendingPathComponent(bundleName).appendingPathComponent(folderName)
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isFolder), isFolder.boolValue {
                return candidate.path
            }
        }
        return nil
    }
}
