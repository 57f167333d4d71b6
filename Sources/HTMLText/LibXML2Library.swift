#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
internal import CLibXML2

/// libxml2, loaded the first time a page is read rather than linked into the program.
///
/// Linked, the dynamic loader mapped libxml2 and what it links (ICU, liblzma, libstdc++) at every start of
/// `margin`, and bound their symbols: about 0.9 ms of every command, though only an import of a web page uses it.
/// Loaded here, a command that reads no page never touches it, and a machine without libxml2 runs every command
/// but that import, which says what is missing.
struct LibXML2Library: Sendable {
    private typealias InitParser = @convention(c) () -> Void
    typealias ReadMemory = @convention(c) (
        UnsafePointer<CChar>?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?, Int32
    ) -> htmlDocPtr?
    typealias FreeDoc = @convention(c) (xmlDocPtr?) -> Void

    /// `htmlReadMemory`.
    let readMemory: ReadMemory
    /// `xmlFreeDoc`.
    let freeDoc: FreeDoc

    /// The names tried, in turn: the Linux soname, then macOS's.
    static let fileNames = ["libxml2.so.2", "libxml2.2.dylib", "libxml2.so", "libxml2.dylib"]

    /// The library, loaded and initialised (`xmlInitParser`, once per process, before parsers run on several
    /// threads) on first use; or why it could not be loaded.
    static let shared: Result<LibXML2Library, HTMLTextError> = load(fileNames)

    /// Loads the first of `fileNames` that opens and has the three functions used.
    static func load(_ fileNames: [String]) -> Result<LibXML2Library, HTMLTextError> {
        var reasons: [String] = []
        for name in fileNames {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else {
                reasons.append(dlerror().map { String(cString: $0) } ?? "\(name) could not be opened")
                continue
            }
            guard let initParser = dlsym(handle, "xmlInitParser"), let readMemory = dlsym(handle, "htmlReadMemory"),
                let freeDoc = dlsym(handle, "xmlFreeDoc")
            else {
                reasons.append("\(name) lacks xmlInitParser, htmlReadMemory or xmlFreeDoc")
                dlclose(handle)
                continue
            }
            unsafeBitCast(initParser, to: InitParser.self)()
            return .success(LibXML2Library(
                readMemory: unsafeBitCast(readMemory, to: ReadMemory.self),
                freeDoc: unsafeBitCast(freeDoc, to: FreeDoc.self)))
        }
        return .failure(HTMLTextError(reason: reasons.first ?? "no file name to load"))
    }
}

/// Why a web page could not be read: the HTML parser, libxml2, could not be loaded.
public struct HTMLTextError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What the dynamic loader said.
    public var reason: String

    /// Creates an error with the loader's `reason`.
    public init(reason: String) {
        self.reason = reason
    }

    /// One sentence: what is missing and how to install it.
    public var description: String {
        "reading web pages needs libxml2, which could not be loaded (\(reason)); install it "
            + "(Debian and Ubuntu: apt-get install libxml2; macOS: brew install libxml2)"
    }
}
