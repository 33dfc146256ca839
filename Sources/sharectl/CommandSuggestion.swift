/// What `sharectl` says about a command name it does not know: the nearest one it does, so that
/// `sharectl stauts` answers "did you mean 'status'?" instead of parsing on to a confusing error.
struct CommandSuggestion {
    /// The names of the commands.
    let commands: [String]

    /// Why `arguments` (without the program name) do not start with a command, or `nil` if they
    /// do, or start with an option (`--help`, `--version`, ...) for the argument parser.
    func problem(with arguments: [String]) -> String? {
        guard let first = arguments.first, !first.hasPrefix("-") else { return nil }
        if first == "help" {
            guard let topic = arguments.dropFirst().first(where: { !$0.hasPrefix("-") }),
                  !commands.contains(topic)
            else { return nil }
            return "no help topic '\(topic)'" + hint(for: topic)
        }
        guard !commands.contains(first) else { return nil }
        return "unknown command '\(first)'" + hint(for: first)
    }

    /// `; did you mean 'status'?`, or the list of commands when none is near.
    private func hint(for name: String) -> String {
        let ranked = commands.map { (command: $0, distance: Self.distance(name, $0)) }
            .filter { $0.distance <= max(1, min(2, name.count / 3)) || ($0.command.hasPrefix(name) && name.count >= 2) }
            .sorted { $0.distance < $1.distance }
        if let nearest = ranked.first {
            return "; did you mean '\(nearest.command)'?"
        }
        return "; the commands are \(commands.joined(separator: ", ")) (sharectl help)"
    }

    /// Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
