import Glibc
import Logging

/// Writes one line per message to stderr, prefixed with its syslog priority (`<6>` …)
/// so journald files it at the right level: `<6>message key=value key2="a b"`. On a terminal,
/// where a person reads it, there is no such prefix: `warning: `, `error: ` and `critical: `
/// mark those levels instead.
struct StderrLogHandler: DaemonLogHandler {
    let label: String
    /// Whether lines carry `<N>` (``DaemonLogging/stderrWantsPriorityPrefix()``).
    let prefixed: Bool
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    var ownLevel: Logger.Level?

    init(label: String, prefixed: Bool = true,
         metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider) {
        self.label = label
        self.prefixed = prefixed
        self.metadataProvider = metadataProvider
    }

    func log(event: LogEvent) {
        Self.writeToStderr(Self.line(level: event.level, message: "\(event.message)", metadata: metadata(of: event),
                                     prefixed: prefixed))
    }

    /// The full line, newline included. Metadata is sorted by key; control characters
    /// are escaped so a message never spans lines.
    static func line(level: Logger.Level, message: String, metadata: Logger.Metadata, prefixed: Bool = true) -> String {
        let prefix = prefixed ? "<\(DaemonLogging.syslogPriority(level))>" : level >= .warning ? "\(level): " : ""
        var line = prefix + escaped(message)
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            line += " " + escaped(key) + "=" + quotedIfNeeded(value.description)
        }
        return line + "\n"
    }

    /// The value as is, or in double quotes when empty or holding spaces, `"`, `=` or controls.
    static func quotedIfNeeded(_ value: String) -> String {
        let plain = !value.isEmpty && value.unicodeScalars.allSatisfy {
            $0 != " " && $0 != "\"" && $0 != "=" && $0.properties.generalCategory != .control
        }
        if plain { return value }
        return "\"" + escaped(value, quotes: true) + "\""
    }

    /// Escapes control characters (`\n`, `\t`, `\u{…}`), and `\` and `"` when quoting.
    static func escaped(_ text: String, quotes: Bool = false) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\\" where quotes: out += "\\\\"
            case "\"" where quotes: out += "\\\""
            case _ where scalar.properties.generalCategory == .control:
                out += "\\u{\(String(scalar.value, radix: 16))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// One write(2) per line (retried only if partial or interrupted), so lines don't interleave.
    static func writeToStderr(_ line: String) {
        var line = line
        line.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(STDERR_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    return  // Nowhere left to report a failing stderr.
                }
            }
        }
    }
}
