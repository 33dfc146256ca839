import ShareTrackShared
import Testing

@Suite struct PostgresErrorTests {
    @Test(arguments: ["08006", "08001", "40001", "40P01", "57P01", "57P03", "53300", nil])
    func transient(_ state: String?) {
        #expect(PostgresError(sqlState: state, message: "m").isTransient)
    }

    @Test(arguments: ["23505", "22P02", "42501", "42P01", "57014", "P0001"])
    func permanent(_ state: String) {
        #expect(!PostgresError(sqlState: state, message: "m").isTransient)
    }
}
