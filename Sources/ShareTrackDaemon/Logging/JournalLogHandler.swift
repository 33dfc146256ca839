import CSystemd
import Glibc
import Logging

/// Sends each message to the journal with structured fields (see sd_journal_sendv(3)):
/// `MESSAGE`, `PRIORITY`, `SYSLOG_IDENTIFIER`, `CODE_FILE`/`CODE_LINE`/`CODE_FUNC`, and every
/// metadata key as a field (`connection_id` → `CONNECTION_ID`). Falls back to a stderr line when
/// sending fails (libsystemd itself drops messages silently when the journal socket is absent).
struct JournalLogHandler: DaemonLogHandler {
    let label: String
    let identifier: String
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    var ownLevel: Logger.Level?

    /// Fields this handler sets itself; metadata keys that map to them get a `META_` prefix.
    static let ownFields: Set<String> = [
        "MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER", "CODE_FILE", "CODE_LINE", "CODE_FUNC",
    ]

    init(
        label: String,
        identifier: String = "sharetrackd",
        metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider
    ) {
        self.label = label
        self.identifier = identifier
        self.metadataProvider = metadataProvider
    }

    func log(event: LogEvent) {
        let metadata = metadata(of: event)
        var fields = [
            "MESSAGE=\(event.message)",
            "PRIORITY=\(DaemonLogging.syslogPriority(event.level))",
            "SYSLOG_IDENTIFIER=\(identifier)",
            "CODE_FILE=\(event.file)",
            "CODE_LINE=\(event.line)",
            "CODE_FUNC=\(event.function)",
        ]
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            fields.append(Self.fieldName(key) + "=" + value.description)
        }
        if Self.send(fields) < 0 {
            StderrLogHandler.writeToStderr(
                StderrLogHandler.line(level: event.level, message: "\(event.message)", metadata: metadata))
        }
    }

    /// A valid journal field name for a metadata key: upper case, only `A-Z 0-9 _`,
    /// no leading `_` (reserved for trusted fields) or digit, at most 64 characters.
    static func fieldName(_ key: String) -> String {
        var name = String(String.UnicodeScalarView(key.unicodeScalars.map { scalar in
            switch scalar {
            case "A"..."Z", "0"..."9": scalar
            case "a"..."z": Unicode.Scalar(scalar.value - 32)!
            default: "_"
            }
        }))
        name = String(name.drop { $0 == "_" })
        if name.isEmpty || name.first!.isNumber || ownFields.contains(name) { name = "META_" + name }
        return String(name.prefix(64))
    }

    /// Hands `FIELD=value` strings to sd_journal_sendv; returns its result (< 0 on error).
    static func send(_ fields: [String]) -> Int32 {
        var buffer: [UInt8] = []
        var spans: [(offset: Int, count: Int)] = []
        for field in fields {
            spans.append((buffer.count, field.utf8.count))
            buffer.append(contentsOf: field.utf8)
        }
        return buffer.withUnsafeMutableBytes { bytes in
            let vectors = spans.map { iovec(iov_base: bytes.baseAddress! + $0.offset, iov_len: $0.count) }
            return vectors.withUnsafeBufferPointer { sd_journal_sendv($0.baseAddress, Int32($0.count)) }
        }
    }
}
