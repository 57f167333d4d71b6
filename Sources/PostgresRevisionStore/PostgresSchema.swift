import Logging
import PostgresNIO

/// The tables of the PostgreSQL store and their migrations, recorded in `margin_schema` (one row: the version).
///
/// Only what sync needs is kept: revisions (with their place in the change log, `seq`), each record's kind, the
/// version vector with each origin's chain, the signatures and the keys they bind, and the accounts. Nothing is
/// materialized and nothing is indexed for search.
///
/// ``migrate(_:logger:)`` is idempotent and safe to run from several servers starting at once: each migration runs in
/// one transaction under an advisory lock, and a database already at the current version is left as it is.
enum PostgresSchema {
    /// The newest schema version this margin knows.
    static let currentVersion = 3

    /// The advisory lock key that serializes migrations (any fixed number; "margin" in ASCII).
    static let migrationLockKey: Int64 = 0x6D61_7267_696E

    /// Brings the database to ``currentVersion``; throws ``PostgresRevisionStoreError`` (`.schemaTooNew`) for a
    /// database made by a newer margin.
    static func migrate(_ connections: PostgresConnectionSource, logger: Logger) async throws {
        try await PostgresTransaction.run(connections, isolation: .readCommitted, logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLockKey))", logger: logger)
            try await connection.query("""
                CREATE TABLE IF NOT EXISTS margin_schema (
                    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
                    version integer NOT NULL)
                """, logger: logger)
            var found = 0
            for try await version in try await connection.query(
                "SELECT version FROM margin_schema", logger: logger
            ).decode(Int.self) {
                found = version
            }
            if found > currentVersion {
                throw PostgresRevisionStoreError(.schemaTooNew(found: found, supported: currentVersion))
            }
            for (index, migration) in migrations.enumerated() where index + 1 > found {
                for statement in migration {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
            }
            if found < currentVersion {
                try await connection.query("""
                    INSERT INTO margin_schema (version) VALUES (\(currentVersion))
                    ON CONFLICT (singleton) DO UPDATE SET version = excluded.version
                    """, logger: logger)
            }
        }
    }

    /// The statements of each version, in order: `migrations[0]` makes version 1.
    static let migrations: [[String]] = [
        [
            // Every revision held, immutable. `seq` is its place in the change log: taken when it is inserted, so
            // a revision's seq is above those of every revision its transaction saw, its parents among them (see
            // PostgresRevisionRepository on why that is a causal order). The (origin, counter) index carries seq, so
            // that choosing a page reads no whole rows. Identifiers are ASCII: "C" collation.
            """
            CREATE TABLE revision (
                seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                id text COLLATE "C" NOT NULL UNIQUE,
                record_id text COLLATE "C" NOT NULL,
                kind text COLLATE "C" NOT NULL,
                parents text[] COLLATE "C" NOT NULL,
                origin text COLLATE "C" NOT NULL,
                counter bigint NOT NULL,
                clock bigint NOT NULL,
                author text NOT NULL,
                created_at bigint NOT NULL,
                body text NOT NULL,
                source text NOT NULL,
                logged_at bigint NOT NULL,
                UNIQUE (origin, counter) INCLUDE (seq))
            """,
            // Each record's kind, fixed by its first revision: the kind-change rule, and the one row two servers
            // both inserting a record's first revision collide on.
            """
            CREATE TABLE record (
                id text COLLATE "C" PRIMARY KEY,
                kind text COLLATE "C" NOT NULL)
            """,
            // The version vector: the highest counter held per origin, written in the same transaction as the
            // revisions, so that reading it costs one row per origin.
            """
            CREATE TABLE sync_vector (
                origin text COLLATE "C" PRIMARY KEY,
                counter bigint NOT NULL)
            """,
            // The accounts a server admits: only a SHA-256 of each token, under a unique index.
            """
            CREATE TABLE account (
                name text COLLATE "C" PRIMARY KEY,
                token_hash bytea NOT NULL UNIQUE,
                read_only boolean NOT NULL,
                created_at bigint NOT NULL,
                revoked_at bigint)
            """,
        ],
        [
            // Protocol 2 signs what each store makes (`Protocol/PROTOCOL.md`, "Signatures"), as the embedded store's
            // schema v15 keeps it. Each origin's `RevisionChain` at the highest counter held sits beside that counter.
            "ALTER TABLE sync_vector ADD COLUMN chain bytea",
            // Revisions held from before: each origin's chain over its revisions in counter order (gap-free), as
            // RevisionChain computes it: SHA-256 of the origin's start text, then of the chain and each id's 32 bytes.
            """
            DO $$
            DECLARE
                held record;
                step record;
                carried bytea;
            BEGIN
                FOR held IN SELECT origin FROM sync_vector LOOP
                    carried := sha256(convert_to('marginalia-chain-1' || chr(10) || 'origin ' || held.origin, 'UTF8'));
                    FOR step IN SELECT id FROM revision WHERE origin = held.origin ORDER BY counter LOOP
                        carried := sha256(carried || decode(step.id, 'hex'));
                    END LOOP;
                    UPDATE sync_vector SET chain = carried WHERE origin = held.origin;
                END LOOP;
            END
            $$
            """,
            "ALTER TABLE sync_vector ALTER COLUMN chain SET NOT NULL",
            // Every verified signature, with the chain it signs (so that signing can continue from it) and, when it
            // reaches past the revisions held, the ids between them and its counter (so that it can be sent on).
            """
            CREATE TABLE chain_signature (
                origin text COLLATE "C" NOT NULL,
                counter bigint NOT NULL,
                key text COLLATE "C" NOT NULL,
                signature text COLLATE "C" NOT NULL,
                tail text[] COLLATE "C",
                chain bytea NOT NULL,
                PRIMARY KEY (origin, counter))
            """,
            // The key each origin is bound to: the first that signed it here.
            """
            CREATE TABLE origin_key (
                origin text COLLATE "C" PRIMARY KEY,
                key text COLLATE "C" NOT NULL)
            """,
            // Every key met, with the account that first pushed its own origin with it (null: none named).
            """
            CREATE TABLE key_account (
                key text COLLATE "C" PRIMARY KEY,
                account text)
            """,
        ],
        [
            // The peer id every server over the database answers as (one row, written by the first server that asks;
            // see PostgresRevisionRepository.serverPeerID). IF NOT EXISTS: margin 0.10 made it outside the migrations.
            """
            CREATE TABLE IF NOT EXISTS server_peer (
                singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
                peer text COLLATE "C" NOT NULL)
            """,
        ],
    ]
}
