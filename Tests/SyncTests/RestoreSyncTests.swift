import Foundation
import MarginStore
import Testing

/// `restoreAnnotation` writes an ordinary revision: it travels to every peer like an edit.
@Suite struct RestoreSyncTests {
    @Test func aRestoreSyncsLikeAnyEdit() async throws {
        let hub = try SyncTestSupport.newStore(author: "hub")
        let alice = try SyncTestSupport.seededStore(author: "alice", files: 1)
        let bob = try SyncTestSupport.newStore(author: "bob")
        let noteID = try await SyncTestSupport.withServer(hub) { server in
            let section = try SyncTestSupport.firstSection(alice)
            let quote = try alice.section(section).text.unicodeScalars.prefix(4).map(String.init).joined()
            let note = try alice.addAnnotation(on: section, text: "#重点 要保留", quote: quote)
            try alice.deleteAnnotation(note.shortID)
            try await SyncTestSupport.sync(alice, with: server.url)
            try await SyncTestSupport.sync(bob, with: server.url)
            #expect(try bob.annotation(note.shortID).deleted)

            let restored = try bob.restoreAnnotation(note.shortID)
            #expect(!restored.deleted)
            #expect(restored.text == "#重点 要保留")
            #expect(restored.anchor?.quote == quote)
            let pushed = try await SyncTestSupport.sync(bob, with: server.url)
            #expect(pushed.sent == 1)
            try await SyncTestSupport.sync(alice, with: server.url)
            return note.id.rawValue
        }
        for store in [alice, bob, hub] {
            let seen = try store.annotation(noteID)
            #expect(!seen.deleted && seen.text == "#重点 要保留" && !seen.conflicted)
        }
        #expect(try SyncTestSupport.revisionIDs(alice) == SyncTestSupport.revisionIDs(bob))
        try SyncTestSupport.expectSound(alice, bob, hub)
    }

}
