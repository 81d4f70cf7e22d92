import Records
import Testing

@Suite("Stable hash")
struct StableHashTests {
    @Test("its text is always 32 hexadecimal digits, so texts joined from two never read alike")
    func textIsFixedWidth() {
        var texts = Set<String>()
        for value in UInt64(0)..<4_096 {
            var hash = StableHash()
            hash.add(value)
            let text = hash.text
            #expect(text.count == 32, "\(value): \(text)")
            #expect(text.allSatisfy { $0.isHexDigit })
            texts.insert(text)
        }
        #expect(texts.count == 4_096)
    }
}
