import ArgumentParser
import ShareTrackCore

struct ForgetCommand: ControlCommand {
    static let configuration = CommandConfiguration(
        commandName: "forget",
        abstract: "Erase a visitor's or an advocate's id (a data-protection erasure request).",
        discussion: """
            --visitor ID deletes every stored hash of that visitor and prints how many (share, visitor) \
            pairs it removed; counters already counted stay, and a later click by that visitor counts \
            as a first visit again. --advocate ID replaces that advocate id wherever it is stored by a \
            new random pseudonym (forgotten-<12 hex digits>), keeps every counter under it, and prints \
            it with the number of its shares stored here. When it returns, the id's bytes are in no file of the daemon (database, write-ahead \
            log, journal). With a shared store that is not taking batches, it says so: the store \
            erases the id once shipping catches up. Needs root or the daemon's ops_group. See \
            docs/privacy.md.
            """)

    @Option(help: ArgumentHelp("The visitor id, as the redirector sent it.", valueName: "id"))
    var visitor: String?
    @Option(help: ArgumentHelp("The advocate id.", valueName: "id"))
    var advocate: String?
    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        guard (visitor == nil) != (advocate == nil) else {
            throw ValidationError("give exactly one of --visitor and --advocate")
        }
        guard visitor?.isEmpty != true, advocate?.isEmpty != true else { throw ValidationError("the id is empty") }
    }

    func request(now: Int64) -> ControlRequest {
        ControlRequest(command: .forget, forget: ForgetTarget(visitor: visitor, advocate: advocate))
    }

    func printText(_ report: ForgetReport, now: Int64) {
        if let pseudonym = report.pseudonym {
            switch report.renamedShares {
            // The store's shares of it, shipped by other nodes, are renamed all the same.
            case 0 where report.sharedStore != nil:
                print("advocate forgotten; no share of it was stored here; in the shared store, its shares no earlier "
                      + "forget renamed go under \(pseudonym)")
            case 0: print("advocate forgotten; no share of it was stored here, so nothing is under \(pseudonym)")
            case let shares?:
                print("advocate forgotten; its \(Formatting.integer(shares)) share\(shares == 1 ? "" : "s") "
                      + "and their counters are now under \(pseudonym)")
            case nil: print("advocate forgotten; its counters are now under \(pseudonym)")
            }
        } else {
            print("visitor forgotten: removed \(Formatting.integer(report.removedPairs ?? 0)) visitor pairs")
        }
        if report.sharedStore == .pending {
            print("the shared store has not received the erasure yet (shipping is behind or failing); "
                  + "it erases the id there once shipping catches up")
        }
    }
}
