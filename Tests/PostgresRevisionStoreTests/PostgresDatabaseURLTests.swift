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
}
