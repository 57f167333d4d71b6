import MarginCore
import PostgresRevisionStore
import PostgresTestSupport
import Testing

/// Accounts as the embedded store keeps them: names, token hashes, read-only, revoked; seen alike by every server.
@Suite("PostgreSQL store: accounts")
struct PostgresAccountTests {
    @Test func accountsAreFoundByTheirTokenAndNothingElse() async throws {
        try await TestPostgres.withRepository { repository in
            #expect(try await repository.hasAccounts() == false)
            let token = AccountToken.generate()
            let name = try #require(AccountName(typed: "li.wei"))
            let added = try #require(try await repository.addAccount(named: name, readOnly: false, token: token))
            #expect(added.name == name && !added.isReadOnly && !added.isRevoked)
            #expect(try await repository.hasAccounts())
            #expect(try await repository.account(presenting: token) == added)
            #expect(try await repository.account(presenting: AccountToken.generate()) == nil)
            #expect(try await repository.account(presenting: "") == nil)

            // A name is taken once, whatever the token.
            #expect(try await repository.addAccount(named: name, readOnly: true, token: AccountToken.generate()) == nil)
            let reader = try #require(AccountName(typed: "lab-laptop"))
            let readerToken = AccountToken.generate()
            let readOnly = try #require(try await repository.addAccount(named: reader, readOnly: true, token: readerToken))
            #expect(readOnly.isReadOnly)
            #expect(try await repository.accounts().map(\.name) == [reader, name])
        }
    }

    @Test func onlyTheTokensHashIsKept() async throws {
        try await TestPostgres.withDatabase { url in
            try await PostgresRevisionRepository.withRepository(url: url) { repository in
                let token = AccountToken.generate()
                _ = try await repository.addAccount(named: AccountName(rawValue: "a"), readOnly: false, token: token)
                let rows = try await repository.client.query("SELECT encode(token_hash, 'hex') FROM account")
                var stored: [String] = []
                for try await hex in rows.decode(String.self) { stored.append(hex) }
                let expected = AccountToken.hash(of: token).map { String(format: "%02x", $0) }.joined()
                #expect(stored == [expected])
            }
        }
    }

    @Test func aRevocationHoldsForEveryServer() async throws {
        try await TestPostgres.withDatabase { url in
            try await PostgresRevisionRepository.withRepository(url: url) { first in
                try await PostgresRevisionRepository.withRepository(url: url) { second in
                    let token = AccountToken.generate()
                    let name = AccountName(rawValue: "li.wei")
                    _ = try await first.addAccount(named: name, readOnly: false, token: token)
                    #expect(try await second.account(presenting: token)?.isRevoked == false)
                    guard case let .revoked(revoked) = try await second.revokeAccount(named: name) else {
                        Issue.record("not revoked")
                        return
                    }
                    #expect(revoked.isRevoked)
                    #expect(try await first.account(presenting: token) == revoked)
                    #expect(try await first.revokeAccount(named: name) == .alreadyRevoked(revoked))
                    #expect(try await first.revokeAccount(named: AccountName(rawValue: "nobody")) == .unknown)
                    // Revoking the last account does not open the servers.
                    #expect(try await second.hasAccounts())
                }
            }
        }
    }
}
