import ShareTrackStore

/// Schema version 5: `Rollup.hours`, the counters per hour alone, which a trend of everything
/// reads (2,160 rows for 90 days instead of every hour's place groups).
///
/// Made empty with the fold's lock held, so no fold runs meanwhile; version 8 has it summed in
/// steps (`SharedRollupBuilds`), and folds add to it like to every rollup (`SharedRollups.add`).
/// A daemon of version 4 still connected would fold without it: every fold adds to
/// `rollup_hour_places`, whose guard refuses one that does not say it is of the current version
/// (`startFold`); that node stops and says why.
enum RollupHours {
    /// Version 3's migration on an empty store made the table already (from `Rollup.all`): made again.
    static let createSQL = """
        SELECT pg_advisory_xact_lock(\(RollupLog.foldLockKey));
        \(Rollup.hours.remakeEmptySQL(.postgres))
        \(SharedRollups.guardFunction("sharetrack_folds_hours", setting: "sharetrack.fold_version", value: "5",
                                      version: 5, keeps: "a rollup per hour"))
        CREATE TRIGGER rollup_hour_places_folded BEFORE INSERT OR UPDATE ON rollup_hour_places
            FOR EACH STATEMENT EXECUTE FUNCTION sharetrack_folds_hours();
        """

    /// Says, for the fold's transaction only, that it folds the way version 16 does (its guard:
    /// `HourGroupRows`; version 5's was `createSQL`'s).
    static let startFold = "SELECT set_config('sharetrack.fold_version', '\(HourGroupRows.version)', true)"
}
