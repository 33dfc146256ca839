import Glibc
import ShareTrackCore
import Yams

/// Reads the daemon's settings: flags > `SHARETRACK_*` environment > YAML config file > defaults.
public enum SettingsLoader {
    /// Why the configuration cannot be used; the message names the key or file.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// - Parameters:
    ///   - flags: values given on the command line.
    ///   - environment: the process environment.
    public static func load(flags: [Settings.Key: String], environment: [String: String]) throws(Failure) -> Settings {
        let variables = Dictionary(uniqueKeysWithValues: Settings.Key.allCases.compactMap { key in
            environment[key.environmentName].map { (key, $0) }
        })
        let named = flags[.config] ?? variables[.config]
        let path = named ?? Settings.defaultConfigFile
        let file = try readFile(path, required: named != nil)
        do {
            var settings = try Settings(layers: [(.flag, flags), (.environment, variables), (.file(path), file ?? [:]),
                                                 (.defaultValue, [.config: path])])
            settings.configFileFound = file != nil
            return settings
        } catch {
            throw Failure(description: error.description)
        }
    }

    /// The flat keys of a YAML config file; nil for a missing file, unless it was named.
    static func readFile(_ path: String, required: Bool) throws(Failure) -> [Settings.Key: String]? {
        guard let text = readText(path) else {
            if !required && errno == ENOENT { return nil }
            throw Failure(description: "config file \(path): \(String(cString: strerror(errno)))")
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw Failure(description: "config file \(path) is not valid YAML: \(yamlProblem(error))")
        }
        guard let node else { return [:] }
        guard let mapping = node.mapping else {
            throw Failure(description: "config file \(path) must be a mapping of keys to values")
        }
        var values: [Settings.Key: String] = [:]
        for (keyNode, valueNode) in mapping {
            let name = keyNode.string ?? "?"
            guard let key = Settings.Key(rawValue: name), key != .config else {
                throw Failure(description: "config file \(path): unknown key '\(name)' (known keys: "
                    + Settings.Key.allCases.dropFirst().map(\.rawValue).joined(separator: ", ") + ")")
            }
            values[key] = try scalarText(valueNode, key: key, path: path)
        }
        return values
    }

    /// What is wrong with a file's YAML, and where, without its text: Yams quotes the lines around
    /// the problem, which may hold the shared store's password.
    private static func yamlProblem(_ error: any Error) -> String {
        switch error as? YamlError {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            "\(problem) at line \(mark.line), column \(mark.column)"
        case let .reader(problem, _, _, _):
            problem
        case let .duplicatedKeysInMapping(duplicates, context):
            "repeated key \(duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")) in the mapping at line \(context.mark.line)"
        default:
            "cannot be read (\(type(of: error)))"
        }
    }

    /// A value as text: a scalar as written (so `0660` stays octal); `tier_bounds` may be a list
    /// of scalars, joined by commas.
    private static func scalarText(_ node: Node, key: Settings.Key, path: String) throws(Failure) -> String {
        if let scalar = node.scalar {
            return ["~", "null"].contains(scalar.string) ? "" : scalar.string
        }
        if key == .tierBounds, let items = node.sequence?.map(\.scalar?.string), !items.contains(nil) {
            return items.compactMap { $0 }.joined(separator: ",")
        }
        throw Failure(description: "config file \(path): \(key.rawValue) must be a single value"
                      + (key == .tierBounds ? " or a list of four numbers" : ""))
    }

    static func readText(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            bytes += chunk[..<count]
            if count < chunk.count { break }
        }
        if ferror(file) != 0 { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}
