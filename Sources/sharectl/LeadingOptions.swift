/// Options every command takes (`--socket`, `--db`, `--json`), written before the command name
/// (`sharectl --socket var/control.sock status`, as `systemctl` and `kubectl` allow), moved to
/// after it, where the argument parser reads them. Anything else before the command is left
/// where it is, for the parser to report.
struct LeadingOptions {
    /// Options that take a value (as the next word, or after `=`).
    static let valued: Set<String> = ["--socket", "--db"]
    static let flags: Set<String> = ["--json"]

    let commands: Set<String>

    /// `arguments` (without the program name) with the leading common options after the command.
    func reordered(_ arguments: [String]) -> [String] {
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            let name = String(word.prefix { $0 != "=" })
            if Self.flags.contains(word) || (Self.valued.contains(name) && word.contains("=")) {
                index += 1
            } else if Self.valued.contains(word), index + 1 < arguments.count {
                index += 2
            } else {
                break
            }
        }
        guard index > 0, index < arguments.count, commands.contains(arguments[index]) else { return arguments }
        return [arguments[index]] + arguments[..<index] + arguments[(index + 1)...]
    }
}
