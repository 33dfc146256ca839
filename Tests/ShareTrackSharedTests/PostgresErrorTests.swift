import ShareTrackShared
import Testing

@Suite struct PostgresErrorTests {
    @Test(arguments: ["08006", "08001", "40001", "40P01", "57P01", "57P03", "53300", "57014", "55P03", nil])
    func transient(_ state: String?) {
        #expect(PostgresError(sqlState: state, message: "m").isTransient)
    }

    @Test(arguments: ["23505", "22P02", "42501", "42P01", "55000", "P0001"])
    func permanent(_ state: String) {
        #expect(!PostgresError(sqlState: state, message: "m").isTransient)
    }
}
