import PostgresNIO
import PostgresRevisionStore
import Testing

/// `postgresql://` URLs as `margin serve --database` takes them.
@Suite("PostgreSQL store: database URLs")
struct PostgresDatabaseURLTests {
    @Test func aTCPURL() throws {
        let configuration = try PostgresDatabaseURL.configuration(
            from: "postgresql://li%40lab:p%2Fss@db.example.org:6543/margin%5Fmain?sslmode=disable")
        #expect(configuration.host == "db.example.org")
        #expect(configuration.port == 6543)
        #expect(configuration.username == "li@lab")
        #expect(configuration.password == "p/ss")
        #expect(configuration.database == "margin_main")
    }

    @Test func defaultsAndSockets() throws {
        let tcp = try PostgresDatabaseURL.configuration(from: "postgres://margin@127.0.0.1/margin")
        #expect(tcp.port == 5432)
        #expect(tcp.password == nil)
        let socket = try PostgresDatabaseURL.configuration(from: "postgresql://margin@/margin?host=/run/postgresql")
        #expect(socket.unixSocketPath == "/run/postgresql/.s.PGSQL.5432")
    }

    @Test func unusableURLsSaySoWithoutThePassword() {
        for url in [
            "mysql://a@b/c", "postgresql://b/c", "postgresql://a@b", "postgresql://a:secret@b:1/c?sslmode=maybe",
            "not a url",
        ] {
            #expect {
                try PostgresDatabaseURL.configuration(from: url)
            } throws: { error in
                guard let error = error as? PostgresRevisionStoreError, case .invalidURL = error.kind else { return false }
                return !error.description.contains("secret")
            }
        }
    }

    /// Hostile values: a NUL in any name (PostgreSQL would read a name cut short), and a URL beyond the length
    /// limit, whose error neither repeats it nor its password. At the limit, a URL is taken.
    @Test func aNULOrAHugeURLIsRefusedAndTheLimitItselfIsTaken() throws {
        for url in [
            "postgresql://li%00wei@b/c", "postgresql://a:pa%00ss@b/c", "postgresql://a@b/mar%00gin",
            "postgresql://a@b%00c/d", "postgresql://a@b/c?host=/tmp%00/x", "postgresql://a@b/c?sslmode=disable%00",
        ] {
            do {
                _ = try PostgresDatabaseURL.configuration(from: url)
                Issue.record("\(url) was taken")
            } catch let error as PostgresRevisionStoreError {
                guard case let .invalidURL(_, reason) = error.kind else {
                    Issue.record("\(error)")
                    continue
                }
                #expect(reason.contains("NUL") || reason.contains("sslmode"), "\(url): \(reason)")
            }
        }

        let prefix = "postgresql://a:secret@b/"
        let atLimit = prefix + String(repeating: "d", count: PostgresDatabaseURL.maximumLength - prefix.utf8.count)
        #expect(try PostgresDatabaseURL.configuration(from: atLimit).database?.utf8.count == atLimit.utf8.count - prefix.utf8.count)
        let over = atLimit + "d"
        #expect {
            try PostgresDatabaseURL.configuration(from: over)
        } throws: { error in
            let text = "\(error)"
            return text.contains("at most 4096") && !text.contains("secret") && text.utf8.count < 300
        }
        let huge = prefix + String(repeating: "d", count: 10_000_000)
        #expect(throws: PostgresRevisionStoreError.self) { try PostgresDatabaseURL.configuration(from: huge) }
    }
}
