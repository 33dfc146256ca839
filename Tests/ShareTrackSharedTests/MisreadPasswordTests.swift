import Testing

@testable import ShareTrackShared

/// What a URI's writer meant as its password where libpq reads it as the port, the host or the
/// database: masked in errors, while the parts of a well-formed URI stay readable.
@Suite struct MisreadPasswordTests {
    @Test(arguments: [
        ("postgresql://u:Zq8/Xw3@db.example.com/st2", ["Zq8", "Xw3"]),
        ("postgresql://u:SECRET@PW9z@localhost/st2", ["SECRET", "PW9z"]),
        ("postgresql://u:SECRETPW9z/st2", ["SECRETPW9z"]),
        ("postgres://u:SECRETPW9z", ["SECRETPW9z"]),
        ("postgresql://u:pass?word@host/db", ["pass", "word"]),
        ("postgresql://u:Sx/dReaderPW77@host/db", ["Sx", "dReaderPW77"]),
    ])
    func piecesOfAMisreadPassword(uri: String, pieces: [String]) {
        #expect(PostgresConnection.misreadPassword(in: uri) == pieces)
    }

    @Test(arguments: [
        "postgresql://host:5432/db", "postgresql://[::1]:5432/db", "postgresql://h1:5432,h2:5433/db",
        "postgresql://user@host/db", "postgresql:///db?host=/tmp", "host=/tmp password=secret dbname=x",
    ])
    func nothingInAWellFormedUri(uri: String) {
        #expect(PostgresConnection.misreadPassword(in: uri).isEmpty)
    }
}
