import ShareTrackStore

/// The shared store's rollups: the local database's group tables and `Rollup` tables (the same
/// definitions, PostgreSQL's types), and the set-based SQL that builds and keeps them.
///
/// Exact as locally (`RollupWriter`): each counter unit enters the rollups once, under its
/// share's attributes. Since schema version 4 the shipments do not write the rollups: each
/// appends its counter deltas, as the store counts them, to `rollup_log`, and one node at a time
/// folds the log rows whose token has a share into the rollups (`RollupLog`).
///
/// A group row exists for the attributes of every share the store holds (the shipment that ships
/// a share numbers its groups, before its statement); a group without rollup rows is never read
/// (queries read the rollups joined to their groups).
enum SharedRollups {
    /// Taken (`pg_advisory_xact_lock`) first by every shipment of schema version 3, and by the
    /// migrations that build the rollups (3) and the log (4), so that those wait for the shipments
    /// of a version 3 daemon still connected.
    static let shipmentLock = "SELECT pg_advisory_xact_lock(hashtext('sharetrack shipment'))"

    /// The function `name` of a statement trigger that refuses a transaction that does not say
    /// (`setting` = `value`, for this transaction only) that it keeps the rollups the way schema
    /// version `version` does: a daemon of an older version still connected when the store was
    /// migrated. A permanent error, so that node stops and says why instead of writing what the
    /// rollups would miss. On `nodes` (every shipment moves its node's generation) since version 3;
    /// on `rollup_hour_places` (every fold adds to it) since version 5 (`RollupHours`).
    static func guardFunction(_ name: String = "sharetrack_keeps_rollups", setting: String, value: String, version: Int,
                              keeps: String) -> String {
        """
        CREATE OR REPLACE FUNCTION \(name)() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF current_setting('\(setting)', true) IS DISTINCT FROM '\(value)' THEN
                RAISE EXCEPTION 'the shared store is at schema version \(version) (\(keeps)), which this sharetrackd does not keep: upgrade it'
                    USING ERRCODE = '55000';
            END IF;
            RETURN NULL;
        END $$;
        """
    }

    /// The migration to `version` that adds the all-time `rollup` (in `Rollup.all`, so shipments
    /// number its groups and folds add to it from then on), empty, with its groups, while the groups
    /// lock and the fold's lock are held (no shipment numbers groups and no fold runs meanwhile);
    /// version 8 has it summed in steps (`SharedRollupBuilds`). A daemon of the version before
    /// would neither number its groups nor add to it, so both guards then want `version` (`guardFunctions`).
    static func addingSQL(_ rollup: Rollup, version: Int, keeps: String) -> String {
        """
        SELECT pg_advisory_xact_lock(\(RollupLog.groupsLockKey)), pg_advisory_xact_lock(\(RollupLog.foldLockKey));
        \(rollup.remakeEmptySQL(.postgres))
        \(guardFunctions(version: version, keeps: keeps))
        """
    }

    /// Both guards (shipments' on `nodes`, folds' on `rollup_hour_places`) wanting `version`, the
    /// version of a migration that added a rollup every shipment numbers groups for and every fold adds to.
    static func guardFunctions(version: Int, keeps: String) -> String {
        guardFunction(setting: "sharetrack.shipment_version", value: "\(version)", version: version, keeps: keeps)
            + "\n" + guardFunction("sharetrack_folds_hours", setting: "sharetrack.fold_version", value: "\(version)",
                                   version: version, keeps: keeps)
    }

    /// The share attributes as group columns: `campaign` `''` when the share has none.
    static func attributes(of share: String) -> String {
        GroupTable.shares.attributes.map { "\(attribute($0, of: share)) AS \($0)" }.joined(separator: ", ")
    }

    /// Attribute `name` of share `share` as a group column.
    static func attribute(_ name: String, of share: String) -> String {
        name == "campaign" ? "coalesce(\(share).campaign, '')" : "\(share).\(name)"
    }

    /// SQL: share `share` has the attributes of `group`, a row of `groups`.
    static func share(_ share: String, has group: String, of groups: GroupTable) -> String {
        groups.attributes.map { "\(group).\($0) = \(attribute($0, of: share))" }.joined(separator: " AND ")
    }

    /// The counters of `row`, in the order of `Rows.counterNames`.
    static func counters(of row: String) -> String {
        Rows.counterNames.map { "\(row).\($0)" }.joined(separator: ", ")
    }

    /// The column holding the id of `groups`' row in the relations `add(from:)` reads.
    static func idColumn(_ groups: GroupTable) -> String {
        "\(groups.table)_id"
    }

    /// The ids of share `share`'s groups, one column per group table (`idColumn`), then the
    /// attributes that rollups repeat in their rows (`Rollup.repeatedAttributes`), and the joins
    /// that find the ids: each group table joined once per statement, whatever the number of rollups.
    /// The groups of a rollup that may be being built may not be numbered yet past its mark
    /// (`SharedRollupBuilds`): their tables are joined as optional (a row past the mark does not
    /// reach that rollup; one before it has its groups).
    static func groupIDs(of share: String) -> (columns: String, joins: String) {
        let repeated = GroupTable.shares.attributes.filter { name in
            Rollup.all.contains { $0.repeatedAttributes(.postgres).contains(name) }
        }
        let columns = (GroupTable.all.map { "\($0.table).id AS \(idColumn($0))" }
                       + repeated.map { "\(attribute($0, of: share)) AS \($0)" }).joined(separator: ", ")
        let optional = Set(Rollup.built.map(\.groups.table))
        let joins = GroupTable.all.map { groups in
            (optional.contains(groups.table) ? " LEFT" : "") + " JOIN \(groups.table) ON "
                + Self.share(share, has: groups.table, of: groups)
        }.joined()
        return (columns, joins)
    }

    /// The group tables and rollups (schema version 3), built from the store's shares and
    /// counters in two statements, with the shipments waiting (`shipmentLock`) and the tables
    /// locked against writers that do not take it.
    static var createSQL: String {
        let ids = groupIDs(of: "s")
        return (GroupTable.all.map { $0.createSQL(.postgres) } + Rollup.all.map { $0.createSQL(.postgres) })
            .joined(separator: "\n")
            + "\n" + guardFunction(setting: "sharetrack.keeps_rollups", value: "on", version: 3, keeps: "rollups")
            + """

            CREATE TRIGGER nodes_keep_rollups BEFORE UPDATE OF generation ON nodes
                FOR EACH STATEMENT EXECUTE FUNCTION sharetrack_keeps_rollups();
            \(shipmentLock);
            LOCK TABLE shares, counters IN SHARE MODE;
            \(addGroups(from: "shares s"));
            WITH attributed AS (
                SELECT c.hour, \(ids.columns), \(counters(of: "c")) FROM counters c JOIN shares s USING (token)\(ids.joins)
                WHERE \(Rows.counted)
            )\(add(from: "attributed", marked: false))
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

    /// `, name AS (...)` steps of a `WITH` that add `relation`'s rows (an hour, the ids of their
    /// groups and the attributes rollups repeat (`groupIDs`), and the counters, each row counting
    /// something) to every rollup: summed per rollup key, upserted in key order (B-trees see keys
    /// in one order). `marked`: a rollup being built gets only the rows of the share groups up to
    /// its mark (`SharedRollupBuilds`).
    static func add(from relation: String, marked: Bool) -> String {
        Rollup.all.map { rollup in
            // `GroupTable.whole` has one group, id 0: its rollup sums per hour alone.
            let id = rollup.groups.attributes.isEmpty ? nil : idColumn(rollup.groups)
            let grouped = (rollup.hourly ? ["hour"] : []) + [id].compactMap { $0 }
            let key = rollup.key.map { $0 == "id" ? id ?? "0" : $0 }
            let repeated = rollup.repeatedAttributes(.postgres)
            let built = marked && Rollup.built.contains(rollup)
                ? " WHERE \(idColumn(.shares)) <= \(SharedRollupBuilds.mark(rollup))" : ""
            return """
                , \(rollup.table)_added AS (
                    INSERT INTO \(rollup.table) (\((rollup.key + repeated + Rows.counterNames).joined(separator: ", ")))
                    SELECT \((key + repeated + Rows.counterNames.map { "sum(\($0))" }).joined(separator: ", "))
                    FROM \(relation)\(built)
                    GROUP BY \((grouped + repeated).joined(separator: ", ")) ORDER BY \(grouped.joined(separator: ", "))
                    \(rollup.addingOnConflict(.postgres))
                )
                """
        }.joined()
    }

    /// Renames ids in share attribute `column` (`advocate`, `venue` or `campaign`), each old id to
    /// its new one: in the shares, in each group table with that column (`renameGroups`), and
    /// advocates in `tier_advocates` (from the renamed shares), one statement each with the old and
    /// new ids bound as two arrays. For `forget --advocate` and the ids put in NFC
    /// (`SharedCanonicalIds`), under the groups and fold locks held exclusively. The new ids are
    /// distinct and none is an old one, so that no two groups become one in a statement
    /// (`SharedCanonicalIds` renames in rounds).
    static func rename(_ column: String, _ renames: [(old: String, new: String)],
                       on connection: PostgresConnection) throws(PostgresError) {
        var (old, new) = (ArrayText(), ArrayText())
        for rename in renames {
            old.add(.text(rename.old))
            new.add(.text(rename.new))
        }
        let statements = ["WITH \(renamesSQL) UPDATE shares s SET \(column) = r.new FROM renames r WHERE s.\(column) = r.old"]
            + renameGroups(column) + (column == "advocate" ? [TierAdvocates.renameSQL] : [])
        for statement in statements {
            try connection.query(statement, [old.literal, new.literal])
        }
    }

    /// The `renames (old, new)` of a `WITH`: a rename to the id itself changes nothing (a group is
    /// not merged into itself: that deleted it).
    static let renamesSQL = "renames AS (SELECT old, new FROM unnest($1::text[], $2::text[]) AS r (old, new) WHERE old <> new)"

    /// One statement per group table with `column`. A group whose renamed attributes are another
    /// group's already merges into it (its rollup rows added to that group's, then deleted); the
    /// others are renamed.
    private static func renameGroups(_ column: String) -> [String] {
        GroupTable.all.filter { $0.attributes.contains(column) }.map { groups in
            let others = groups.attributes.filter { $0 != column }.map { "n.\($0) = o.\($0)" }
            let moves = Rollup.all.filter { $0.groups.table == groups.table }.map { rollup in
                let repeated = rollup.repeatedAttributes(.postgres)
                // The moved rows hold the attributes of the group they move to (a row whose
                // attributes are still being filled, `HourGroupRows`, holds none).
                let columns = rollup.key.map { $0 == "id" ? "m.new" : "r.\($0)" }
                    + repeated.map { "n.\($0)" } + Rows.counterNames.map { "r.\($0)" }
                // The rows of the groups renamed in place repeat the new name too.
                let renamed = repeated.isEmpty ? "" : """
                    , \(rollup.table)_renamed AS (
                        UPDATE \(rollup.table) t SET \(column) = r.new FROM \(groups.table) g JOIN renames r ON g.\(column) = r.old
                        WHERE t.id = g.id AND t.id NOT IN (SELECT old FROM merged)
                    )
                    """
                return """
                    , \(rollup.table)_moved AS (
                        INSERT INTO \(rollup.table) (\((rollup.key + repeated + Rows.counterNames).joined(separator: ", ")))
                        SELECT \(columns.joined(separator: ", ")) FROM \(rollup.table) r JOIN merged m ON r.id = m.old
                        JOIN \(groups.table) n ON n.id = m.new
                        ORDER BY \(columns.prefix(rollup.key.count).joined(separator: ", "))
                        \(rollup.addingOnConflict(.postgres))
                    ), \(rollup.table)_dropped AS (
                        DELETE FROM \(rollup.table) WHERE id IN (SELECT old FROM merged)
                    )\(renamed)
                    """
            }
            return """
                WITH \(renamesSQL), merged AS (
                    SELECT o.id AS old, n.id AS new FROM renames r
                    JOIN \(groups.table) o ON o.\(column) = r.old
                    JOIN \(groups.table) n ON n.\(column) = r.new AND \((others + ["true"]).joined(separator: " AND "))
                )\(moves.joined())\(groups == .shares ? SharedRollupBuilds.restartSQL : ""), groups_dropped AS (
                    DELETE FROM \(groups.table) WHERE id IN (SELECT old FROM merged)
                )
                UPDATE \(groups.table) g SET \(column) = r.new FROM renames r
                WHERE g.\(column) = r.old AND g.id NOT IN (SELECT old FROM merged)
                """
        }
    }
}
