import Records
import Testing

@testable import Ingest

#if canImport(Glibc)
import Glibc
#endif

/// Every reason a file is skipped for: its stored code names its kind, and its
/// text is what reports said when reasons were plain strings.
@Suite struct SkipReasonTests {
    /// One of each case, with the text it must render.
    static let examples: [(reason: SkipReason, text: String)] = [
        (.unreadable(errno: EACCES), "unreadable: Permission denied"),
        (.unreadableFolder(errno: EACCES), "unreadable folder: Permission denied"),
        (.tooLarge(size: 300 << 20, limit: 256 << 20), "too large: 300 MiB exceeds the 256 MiB limit (ingest.max_file_bytes)"),
        (.ignored(pattern: "*.swp"), "ignored (matches watch.ignore pattern *.swp)"),
        (.notRegularFile(.fifo), "not a regular file (FIFO)"),
        (.fileNameNotUTF8, #"file name is not valid UTF-8 (shown with \xNN for the bytes that are not)"#),
        (
            .folderNameNotUTF8,
            #"folder name is not valid UTF-8 (shown with \xNN for the bytes that are not); its files are not read"#
        ),
        (.becameSymbolicLink, "became a symbolic link, or a folder on its path did, after the scan (not followed)"),
        (.brokenSymbolicLink(mayLoop: true), "broken or looping symbolic link"),
        (
            .linkOutsideInput(target: "/elsewhere/r.csv"),
            "symbolic link to /elsewhere/r.csv, outside the input folder (not followed; watch.follow_external_links follows it)"
        ),
        (.linkToInputFolder, "symbolic link to the input folder itself, whose files are read under their own paths"),
        (.linkReadUnderTarget(target: "runs/a.csv"), "symbolic link to runs/a.csv, which is read under that path"),
        (.inputUnreadable(errno: ENOENT), "No such file or directory"),
        (.inputNotFileOrFolder(.socket), "not a folder or regular file (socket)"),
        (
            .shareNotMounted,
            "holds none of its files and is on another file system than they were (a share not mounted?): its files are left out, not counted as deleted"
        ),
        (.emptyFile(onlyWhitespace: false), "empty file"),
        (.unsupportedType(extension: "xlsx"), "unsupported type (.xlsx)"),
        (.notText("binary file (NUL byte at offset 3)"), "binary file (NUL byte at offset 3)"),
        (.unparsable("malformed CSV at line 2: unterminated quote"), "malformed CSV at line 2: unterminated quote"),
        (
            .tooLargeToRead("nesting deeper than 512 levels, at line 1"),
            #"too large to read: nesting deeper than 512 levels, at line 1 (README, "Memory")"#
        ),
        (.noBenchmarkData("CSV without numeric columns"), "no benchmark data (CSV without numeric columns)"),
        (.storedRecordsUnreadable("truncated digest"), "stored records unreadable twice (truncated digest)"),
        (
            .copyOf(original: "runs/a.csv"),
            "the same content as runs/a.csv, whose results are counted (a copy counts once)"
        ),
        (.chimeradReport, "a report chimerad wrote (its own output, not benchmark results)"),
    ]

    @Test func everyReasonRendersTheTextReportsHaveAlwaysShown() {
        for (reason, text) in Self.examples {
            #expect(reason.text == text)
        }
    }

    @Test func variantsOfOneReasonKeepTheirTexts() {
        #expect(SkipReason.notRegularFile(.unknown).text == "not a regular file")
        #expect(SkipReason.notRegularFile(.characterDevice).text == "not a regular file (character device)")
        #expect(SkipReason.brokenSymbolicLink(mayLoop: false).text == "broken symbolic link")
        #expect(SkipReason.emptyFile(onlyWhitespace: true).text == "empty file (only whitespace)")
        #expect(SkipReason.unsupportedType(extension: "").text == "unsupported type (no extension, not JSON)")
        #expect(SkipReason.tooLarge(size: 2048, limit: 1024).text == "too large: 2 KiB exceeds the 1 KiB limit (ingest.max_file_bytes)")
    }

    @Test func everyReasonRoundTripsThroughItsStoredCode() {
        for (reason, _) in Self.examples {
            #expect(SkipCode(stored: reason.code.rawValue) == reason.code, "\(reason)")
        }
    }

    @Test func eachKindOfReasonHasACodeOfItsOwn() {
        let codes = Self.examples.map(\.reason.code)
        #expect(Set(codes).count == codes.count, "two kinds of reason share a code")
        // Every code but `legacy` (a stored reason without one) is some reason's.
        #expect(Set(codes) == Set(SkipCode.allCases.filter { $0 != .legacy }))
        #expect(Set(SkipCode.allCases.map(\.rawValue)).count == SkipCode.allCases.count)
    }

    @Test func aMissingOrUnknownStoredCodeIsLegacy() {
        #expect(SkipCode(stored: nil) == .legacy)
        #expect(SkipCode(stored: "a-code-from-a-newer-chimerad") == .legacy)
    }
}
