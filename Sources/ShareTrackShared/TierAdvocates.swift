import ShareTrackCore

/// Schema version 9: `tier_advocates`, every (tier, advocate) pair of the shares the store holds,
/// once, so that `tiers` over all time, unfiltered or for one tier, counts each tier's advocates as
/// rows (a few milliseconds at 100,000 advocates) instead of deduplicating every advocate group's
/// pair on every answer (150-270 ms there; a `sharectl --db` process keeps nothing between
/// answers, unlike the daemon's `TierAdvocateCounts`). Not per network, venue and campaign as
/// well: with those (742,000 rows instead of 100,000 at 719,110 shares) the shipments shipped 30%
/// fewer events per second.
///
/// Exact: a shipment adds its shares' pairs in its own transaction, after inserting them
/// (`addSQL`), and a share's counters (its share counted) are shipped with it, so the pairs are
/// those of the counted rows, in the rollups or in the log. Nodes ship in parallel: the primary key
/// makes a pair that two shipments add at once a single row (the second waits for the first and
/// then adds nothing). A rename (`forget --advocate`, under the groups lock held exclusively) drops
/// the advocate's pairs and adds the pseudonym's from its stored shares (`renameSQL`).
///
/// The shares a store holds when it is migrated get their pairs afterwards, in steps, as the
/// rollups of version 8 are summed (`SharedStore.buildRollups`, under the fold's lock, after
/// those): each step adds the pairs of the stored shares of the next advocate groups, in id order,
/// and moves the mark (`fill`, in `meta`, absent once done) past them. Every share the store
/// holds has its advocate group, numbered in the shipment that inserts it, so the groups up to
/// the last one at the migration cover those shares; the shares shipped since add their own pairs. Meanwhile
/// `tiers` counts as before. A daemon of version 8 still connected would not add its
/// shares' pairs: the shipments' guard wants version 9, so its next shipment is refused; folds are
/// unchanged, and so is their guard.
enum TierAdvocates {
    /// The version whose way of shipping the shipments' guard lets through.
    static let version = 9
    static let table = "tier_advocates"
    /// The fill, its mark the last advocate group whose shares' pairs it added.
    static let fill = MarkedSteps(key: "tier_advocates_filled_through", stepSQL: fillStepSQL)

    static let createSQL = """
        SELECT pg_advisory_xact_lock(\(RollupLog.groupsLockKey));
        CREATE TABLE tier_advocates (
            tier text COLLATE "C" NOT NULL,
            advocate text COLLATE "C" NOT NULL,
            PRIMARY KEY (tier, advocate)
        );
        \(fill.markSQL(where: "shares"))
        \(SharedRollups.guardFunction(setting: "sharetrack.shipment_version", value: "\(version)", version: version,
                                      keeps: "advocates per tier"))
        """

    /// Adds the pairs of the stored shares of a shipment's tokens (`Shipment.storedShares`; run
    /// after they are inserted: a token another node shipped first keeps that node's attributes)
    /// that the table does not have yet: one statement.
    static let addSQL = add(from: Shipment.storedShares)

    /// One step of the fill: the pairs of the stored shares of the `$2` advocate groups after `$1`,
    /// in id order; returns the last of those groups and how many there were.
    private static let fillStepSQL = """
        WITH step AS (
            SELECT * FROM advocate_groups WHERE id > $1 ORDER BY id LIMIT $2
        ), added AS (
            \(add(from: "step g JOIN shares s ON s.advocate = g.advocate AND s.network = g.network AND s.tier = g.tier"))
        )
        SELECT coalesce(max(id), 0), count(*) FROM step
        """

    /// Inserts the pairs of the share rows `s` of `relation` (those that meet `condition`)
    /// that the table does not have yet.
    private static func add(from relation: String, where condition: String = "true") -> String {
        """
        INSERT INTO tier_advocates (tier, advocate)
        SELECT DISTINCT s.tier, s.advocate FROM \(relation)
        WHERE \(condition) AND NOT EXISTS (SELECT 1 FROM tier_advocates t WHERE t.tier = s.tier AND t.advocate = s.advocate)
        ORDER BY s.tier, s.advocate
        ON CONFLICT DO NOTHING
        """
    }

    /// After the shares of the old advocates of `SharedRollups.renamesSQL` were renamed: drops the
    /// old ones' pairs and adds the new ones' from their stored shares (not by moving the old
    /// ones': during a fill, shares whose group was not reached yet have no pairs to move, and may
    /// now belong to a group of the new advocate that was).
    static let renameSQL = """
        WITH \(SharedRollups.renamesSQL), dropped AS (DELETE FROM tier_advocates WHERE advocate IN (SELECT old FROM renames))
        \(add(from: "shares s", where: "s.advocate IN (SELECT new FROM renames)"))
        """

    /// The number of advocates per tier.
    static let countSQL = "SELECT tier, count(*) FROM tier_advocates GROUP BY tier"

    /// Whether `countSQL` answers `tiers` for `filter`: over all time, with a tier at most.
    static func answers(_ filter: QueryFilter) -> Bool {
        filter == QueryFilter(tier: filter.tier)
    }
}
