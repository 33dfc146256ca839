/// The columns a terminal gives a text: two for a wide character (the East Asian Wide and
/// Fullwidth ranges, an emoji shown as one), none for one that only formats (a zero-width space,
/// a byte order mark), one for any other. A character is a grapheme cluster, so a letter with its
/// combining marks takes one column.
enum TerminalWidth {
    static func of(_ text: String) -> Int {
        text.reduce(0) { $0 + of($1) }
    }

    static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first, !scalars.allSatisfy({ $0.properties.generalCategory == .format }) else { return 0 }
        return first.properties.isEmojiPresentation || wide.contains(where: { $0.contains(first.value) }) ? 2 : 1
    }

    /// East Asian Wide and Fullwidth (Unicode's EastAsianWidth.txt), in the blocks ids use:
    /// Hangul Jamo, CJK radicals to Yi, Hangul syllables, compatibility ideographs and forms,
    /// fullwidth forms, and the supplementary ideographic planes.
    private static let wide: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
        0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD,
    ]
}
