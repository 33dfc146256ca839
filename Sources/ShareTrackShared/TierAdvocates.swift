/// Schema version 9: `tier_advocates`, every (tier, advocate) pair of the shares the store holds,
/// once, so that `tiers` over all time counts each tier's advocates as rows (a few milliseconds at
/// 100,000 advocates) instead of deduplicating every advocate group's pair on every answer
/// (50-150 ms there; a `sharectl --db` process keeps nothing between answers, unlike the daemon's
/// `TierAdvocateCounts`).
///
/// Exact: a shipment adds its shares' pairs in its own transaction, after inserting them
/// (`addSQL`), and a share's counters (its share counted) are shipped with it, so the pairs are
/// those of the counted rows, in the rollups or in the log. Nodes ship in
/// parallel: the primary key makes a pair that two shipments add at once a single row (the second
/// waits for the first and then adds nothing). A rename (`forget --advocate`, under the groups
/// lock held exclusively) moves the advocate's pairs to the pseudonym, merged where it has them.
/// The migration fills the table from the shares (not from `advocate_groups`, which also has the
/// attributes of shares that lost their token to another node's), holding the groups lock: no shipment runs meanwhile. A daemon
/// of version 8 still connected would not add its shares' pairs: the shipments' guard wants version
/// 9, so its next shipment is refused; folds are unchanged, and so is their guard.
enum TierAdvocates {
    /// The version whose way of shipping the shipments' guard lets through.
    static let version = 9

    static let createSQL = """
        SELECT pg_advisory_xact_lock(\(RollupLog.groupsLockKey));
        CREATE TABLE tier_advocates (
            tier text COLLATE "C" NOT NULL,
            advocate text COLLATE "C" NOT NULL,
            PRIMARY KEY (tier, advocate)
        );
        INSERT INTO tier_advocates (tier, advocate) SELECT DISTINCT tier, advocate FROM shares ORDER BY tier, advocate;
        \(SharedRollups.guardFunction(setting: "sharetrack.shipment_version", value: "\(version)", version: version,
                                      keeps: "advocates per tier"))
        """

    /// Adds the pairs of the stored shares of the tokens in `shares` (a FROM item of shipped share
    /// rows named `s`; run after they are inserted: a token another node shipped first keeps that
    /// node's attributes) that the table does not have yet: one statement.
    static func addSQL(from shares: String) -> String {
        """
        INSERT INTO tier_advocates (tier, advocate)
        SELECT DISTINCT stored.tier, stored.advocate FROM \(shares) JOIN shares stored USING (token)
        WHERE NOT EXISTS (SELECT 1 FROM tier_advocates t WHERE t.tier = stored.tier AND t.advocate = stored.advocate)
        ORDER BY stored.tier, stored.advocate
        ON CONFLICT DO NOTHING
        """
    }

    /// Moves advocate `$1`'s pairs to `$2`.
    static let renameSQL = """
        WITH moved AS (DELETE FROM tier_advocates WHERE advocate = $1 RETURNING tier)
        INSERT INTO tier_advocates (tier, advocate) SELECT tier, $2 FROM moved ON CONFLICT DO NOTHING
        """

    /// The number of advocates per tier.
    static let countSQL = "SELECT tier, count(*) FROM tier_advocates GROUP BY tier"
}
