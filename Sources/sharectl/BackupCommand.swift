import ArgumentParser
import Foundation
import ShareTrackCore

struct BackupCommand: ControlCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent copy of the database, everything acknowledged included.",
        discussion: """
            The daemon writes FILE itself (so it must be in a directory the daemon may write, \
            e.g. /var/lib/sharetrack/backups under the systemd unit): one self-contained SQLite \
            file holding every line acknowledged before the command, the journal applied. It can \
            be read with --db and restored as the database (see the README). FILE must not exist, \
            nor files a database once at that path left beside it (FILE-wal, FILE.journal, ...). \
            Needs root or the daemon's ops_group.
            """)

    @Argument(help: "The file to write (a relative path is taken from the current directory).")
    var file: String

    @OptionGroup var connection: ConnectionOptions

    func request(now: Int64) -> ControlRequest {
        let path = file.hasPrefix("/") ? file : FileManager.default.currentDirectoryPath + "/" + file
        return ControlRequest(command: .backup, query: Query(path: path))
    }

    func printText(_ report: BackupReport, now: Int64) {
        print("wrote \(report.path): \(Formatting.bytes(report.bytes)), generation \(report.generation), "
              + "in \(Formatting.duration(report.seconds))")
    }
}
