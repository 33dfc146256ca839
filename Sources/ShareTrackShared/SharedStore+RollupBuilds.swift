import ShareTrackStore

extension SharedStore {
    /// What is being built (`SharedRollupBuilds.building`).
    public func rollupsBuilding() throws(PostgresError) -> [String] {
        try SharedRollupBuilds.building(connection)
    }

    /// One step of the rollup builds (`SharedRollupBuilds`), in one transaction under the fold's
    /// lock: the next `rows` rows of the first one's source, in share group order, and the rest of
    /// the last one's group (its other hours), added to it; once they are built, the fill of
    /// `tier_advocates` over the next `rows` advocate groups, then the check of the next `rows`
    /// share groups (`CountedGroups`), then the attributes of the next `rows` hourly rows of share
    /// groups (`HourGroupRows`). Returns what is still being built once
    /// it commits (as `rollupsBuilding`; empty: all built), or nil if another node holds the lock
    /// (folding, or stepping itself).
    public func buildRollups(rows: Int) throws(PostgresError) -> [String]? {
        try connection.transaction { () throws(PostgresError) -> [String]? in
            guard try connection.query(RollupLog.tryFoldLock).string(0, 0) == "t" else { return nil }
            let marks = try SharedRollupBuilds.marks(connection)
            var building = Rollup.all.filter { marks[$0.table] != nil }
            guard building.count == marks.count, building.allSatisfy(Rollup.built.contains) else {
                throw PostgresError(sqlState: "XX000", message: "rollup_builds names \(marks.keys.sorted()), "
                                    + "not only rollups built in steps")
            }
            guard let rollup = building.first, let from = marks[rollup.table] else {
                if try TierAdvocates.fill.step(connection, groups: rows) { return [TierAdvocates.table] }
                if try CountedGroups.check.step(connection, groups: rows) { return [CountedGroups.table] }
                return try HourGroupRows.fill.step(connection, groups: rows) ? [HourGroupRows.table] : []
            }
            try connection.execute("SET LOCAL work_mem = '64MB'")
            let step = rollup.stepSQL(.postgres)
            let next = try connection.query(step.bound, [String(from), String(rows)])
            // Fewer rows than asked for: the last step, which numbers every group left, those
            // with no rows yet too (a fold needs the groups of every share it adds past the build).
            let last = next.int64(0, 1) < rows
            let through = last ? Int64.max : next.int64(0, 0)
            for sql in step.building {
                try connection.query(sql, [String(from), String(through)])
            }
            if last {
                try connection.query("DELETE FROM rollup_builds WHERE rollup = $1", [rollup.table])
                building.removeFirst()
            } else {
                try connection.query("UPDATE rollup_builds SET built_through = $1 WHERE rollup = $2",
                                     [String(through), rollup.table])
            }
            return try SharedRollupBuilds.building(connection)
        }
    }
}
