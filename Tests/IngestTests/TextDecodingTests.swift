import Testing

@testable import Ingest

@Suite struct TextDecodingTests {
    @Test func stripsUTF8ByteOrderMarkWithoutCopying() {
        let bytes = [0xEF, 0xBB, 0xBF] + Array("a,b".utf8)
        #expect(TextDecoding.decode(bytes) == .text(Array("a,b".utf8)[...]))
        // The text is the file's own buffer, past the mark.
        guard case .text(let text) = TextDecoding.decode(bytes) else { return }
        #expect(text.startIndex == 3)
        #expect(text.withUnsafeBufferPointer { $0.baseAddress } == bytes.withUnsafeBufferPointer { $0.baseAddress.map { $0 + 3 } })
    }

    @Test func transcodesUTF16WithAndWithoutBOM() {
        let text = "model,tokens_s\nx,1.5\n"
        let little = text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let big = text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        #expect(TextDecoding.decode([0xFF, 0xFE] + little) == .text(Array(text.utf8)[...]))
        #expect(TextDecoding.decode([0xFE, 0xFF] + big) == .text(Array(text.utf8)[...]))
        #expect(TextDecoding.decode(little) == .text(Array(text.utf8)[...]))
    }

    /// UTF-32 is named as such, not as UTF-16 holding NULs.
    @Test func namesUTF32ForWhatItIs() {
        let text = "a,b\n1,2\n"
        let little = text.unicodeScalars.flatMap { scalar in (0..<4).map { UInt8((scalar.value >> (8 * $0)) & 0xFF) } }
        let big = text.unicodeScalars.flatMap { scalar in (0..<4).reversed().map { UInt8((scalar.value >> (8 * $0)) & 0xFF) } }
        #expect(TextDecoding.decode([0xFF, 0xFE, 0, 0] + little) == .notText("not read: UTF-32 text (save it as UTF-8 or UTF-16)"))
        #expect(TextDecoding.decode([0, 0, 0xFE, 0xFF] + big) == .notText("not read: UTF-32 text (save it as UTF-8 or UTF-16)"))
    }

    @Test func namesInvalidUTF8ByteAndPosition() {
        let bytes = Array("a,b\n1,".utf8) + [0xB0] + Array("C\n".utf8)
        #expect(TextDecoding.decode(bytes) == .notText("not UTF-8 text (invalid byte 0xB0 at line 2, column 3)"))
    }

    @Test func callsNulBytesBinary() {
        #expect(TextDecoding.decode([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x01]) == .notText("binary file (NUL byte at offset 7)"))
    }
}
