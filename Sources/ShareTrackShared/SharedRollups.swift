import ShareTrackStore

/// The shared store's rollups: the local database's group tables and `Rollup` tables (the same
/// definitions, PostgreSQL's types), and the set-based SQL that builds and keeps them.
///
/// Exact as locally (`RollupWriter`): each counter unit enters the rollups once, under its
/// share's attributes. A shipment adds, for a token whose share the store held before it, its
/// counter deltas as the store counted them (a second node's `shares`/`reach` dropped, a visitor
/// pair the store had taken back out); for a token whose share it inserts (this node won it),
/// every counter row the token has by then: earlier orphans from any node, and its own deltas.
/// A token never shared adds nothing. The rows come from one statement's snapshot, so shipments
/// apply one at a time (`shipmentLock`): a share one node inserts and a click another node ships
/// for it are then never in two snapshots that miss each other.
///
/// A group row exists for the attributes of every share the store has seen (`addGroups`, before
/// the shipment's statement, so that the statement finds every id by a join); a group without
/// rollup rows is never read (queries read the rollups joined to their groups).
enum SharedRollups {
    /// Taken (`pg_advisory_xact_lock`) first by every shipment, and by the migration that builds
    /// the rollups. A shipment also says, for this transaction only, that it keeps the rollups: a
    /// trigger (`guardSQL`) refuses a shipment by an older sharetrackd that does not.
    static let shipmentLock = "SELECT pg_advisory_xact_lock(hashtext('sharetrack shipment'))"
    static let startShipment = shipmentLock + ", set_config('sharetrack.keeps_rollups', 'on', true)"

    /// Refuses a move of a node's generation (every shipment makes one) by a transaction that does
    /// not keep the rollups (a daemon of schema version 2 still connected when the store was
    /// migrated): a permanent error, so that node stops and says why instead of shipping counters
    /// the rollups would miss.
    static let guardSQL = """
        CREATE FUNCTION sharetrack_keeps_rollups() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF current_setting('sharetrack.keeps_rollups', true) IS DISTINCT FROM 'on' THEN
                RAISE EXCEPTION 'the shared store is at schema version 3 (rollups), which this sharetrackd does not keep: upgrade it'
                    USING ERRCODE = '55000';
            END IF;
            RETURN NULL;
        END $$;
        CREATE TRIGGER nodes_keep_rollups BEFORE UPDATE OF generation ON nodes
            FOR EACH STATEMENT EXECUTE FUNCTION sharetrack_keeps_rollups();
        """

    /// The share attributes as group columns: `campaign` `''` when the share has none.
    static func attributes(of share: String) -> String {
        "\(share).advocate, \(share).venue, coalesce(\(share).campaign, '') AS campaign, \(share).network, \(share).tier"
    }

    /// The counters of `row`, in the order of `Rows.counterNames`.
    static func counters(of row: String) -> String {
        Rows.counterNames.map { "\(row).\($0)" }.joined(separator: ", ")
    }

    /// The group tables and rollups (schema version 3), built from the store's shares and
    /// counters in two statements, with the shipments waiting (`shipmentLock`) and the tables
    /// locked against writers that do not take it.
    static var createSQL: String {
        (GroupTable.all.map { $0.createSQL(.postgres) } + Rollup.all.map { $0.createSQL(.postgres) }).joined(separator: "\n")
            + "\n\(guardSQL)\n\(shipmentLock);\nLOCK TABLE shares, counters IN SHARE MODE;\n"
            + addGroups(from: "shares s") + ";\n"
            + """
            WITH attributed AS (
                SELECT c.hour, \(attributes(of: "s")), \(counters(of: "c")) FROM counters c JOIN shares s USING (token)
                WHERE \(Rows.counted)
            )\(add(from: "attributed"))
            SELECT 1;
            """
    }

    /// Numbers the attribute sets of the shares in `shares` (a FROM item of share rows named `s`)
    /// that no group table row has yet: one statement.
    static func addGroups(from shares: String) -> String {
        let steps = GroupTable.all.enumerated().map { index, groups in
            let columns = groups.attributes.joined(separator: ", ")
            let matches = groups.attributes.map { "g.\($0) = n.\($0)" }.joined(separator: " AND ")
            return """
                added_\(index) AS (
                    INSERT INTO \(groups.table) (\(columns))
                    SELECT DISTINCT \(columns) FROM new_groups n
                    WHERE NOT EXISTS (SELECT 1 FROM \(groups.table) g WHERE \(matches))
                    ORDER BY \(columns)
                    ON CONFLICT DO NOTHING
                )
                """
        }
        return """
            WITH new_groups AS (
                SELECT DISTINCT \(attributes(of: "s")) FROM \(shares)
            ), \(steps.joined(separator: ", "))
            SELECT 1
            """
    }

    /// The steps of a shipment's statement (`SharedStore.applyStatement`) that add it to the
    /// rollups, after `won` (the shares it inserted, with their attributes) and `adjusted` (its
    /// counter deltas as the store counts them): the deltas of tokens shared before, and every
    /// counter row of the tokens it won (the stored ones, orphans, read from the statement's
    /// snapshot, which does not hold the statement's own writes; and its deltas), per hour and
    /// attributes.
    static let shipmentSteps = """
        , attributed AS (
            SELECT hour, \(GroupTable.shares.attributes.joined(separator: ", ")), \(Rows.counterNames.map { "sum(\($0)) AS \($0)" }.joined(separator: ", "))
            FROM (
                SELECT a.hour, \(attributes(of: "s")), \(counters(of: "a")) FROM adjusted a JOIN shares s USING (token)
                UNION ALL
                SELECT c.hour, \(attributes(of: "w")), \(counters(of: "c")) FROM won w JOIN counters c USING (token)
                UNION ALL
                SELECT a.hour, \(attributes(of: "w")), \(counters(of: "a")) FROM won w JOIN adjusted a USING (token)
            ) AS rows
            WHERE \(Rows.counted)
            GROUP BY hour, \(GroupTable.shares.attributes.joined(separator: ", "))
        )
        """ + add(from: "attributed")

    /// `, name AS (...)` steps of a `WITH` that add `relation`'s rows (an hour, the attributes of
    /// `GroupKey` and the counters, each row counting something) to every rollup: summed per
    /// rollup key, upserted in key order (nodes and B-trees alike see keys in one order).
    static func add(from relation: String) -> String {
        Rollup.all.map { rollup in
            let key = (rollup.hourly ? ["a.hour"] : []) + ["g.id"]
            let matches = rollup.groups.attributes.map { "g.\($0) = a.\($0)" }.joined(separator: " AND ")
            return """
                , \(rollup.table)_added AS (
                    INSERT INTO \(rollup.table) (\((rollup.key + Rows.counterNames).joined(separator: ", ")))
                    SELECT \(key.joined(separator: ", ")), \(Rows.counterNames.map { "sum(a.\($0))" }.joined(separator: ", "))
                    FROM \(relation) a JOIN \(rollup.groups.table) g ON \(matches)
                    GROUP BY \(key.joined(separator: ", ")) ORDER BY \(key.joined(separator: ", "))
                    \(rollup.addingOnConflict)
                )
                """
        }.joined()
    }

    /// `forget --advocate` in the group tables, one statement per table with an advocate: `$1`
    /// the id, `$2` the pseudonym. A group whose renamed attributes are another group's already
    /// merges into it (its rollup rows added to that group's, then deleted); the others are renamed.
    static var renameAdvocate: [String] {
        GroupTable.all.filter { $0.attributes.contains("advocate") }.map { groups in
            let others = groups.attributes.filter { $0 != "advocate" }.map { "n.\($0) = o.\($0)" }
            let moves = Rollup.all.filter { $0.groups.table == groups.table }.map { rollup in
                let columns = rollup.key.map { $0 == "id" ? "m.new" : "r.\($0)" } + Rows.counterNames.map { "r.\($0)" }
                return """
                    , \(rollup.table)_moved AS (
                        INSERT INTO \(rollup.table) (\((rollup.key + Rows.counterNames).joined(separator: ", ")))
                        SELECT \(columns.joined(separator: ", ")) FROM \(rollup.table) r JOIN merged m ON r.id = m.old
                        ORDER BY \(columns.prefix(rollup.key.count).joined(separator: ", "))
                        \(rollup.addingOnConflict)
                    ), \(rollup.table)_dropped AS (
                        DELETE FROM \(rollup.table) WHERE id IN (SELECT old FROM merged)
                    )
                    """
            }
            return """
                WITH merged AS (
                    SELECT o.id AS old, n.id AS new FROM \(groups.table) o JOIN \(groups.table) n
                        ON n.advocate = $2 AND \((others + ["true"]).joined(separator: " AND "))
                    WHERE o.advocate = $1
                )\(moves.joined()), groups_dropped AS (
                    DELETE FROM \(groups.table) WHERE id IN (SELECT old FROM merged)
                )
                UPDATE \(groups.table) SET advocate = $2 WHERE advocate = $1 AND id NOT IN (SELECT old FROM merged)
                """
        }
    }
}
