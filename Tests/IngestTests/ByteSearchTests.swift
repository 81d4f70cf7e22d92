import Testing

@testable import Ingest

struct ByteSearchTests {
    @Test("a run of bytes is found at the start, the end, after a near miss, in a slice; not when cut short")
    func findsRunsOfBytes() {
        let text = Array("ab aab abc Performance counter stats for 'x'".utf8)
        #expect(ByteSearch.firstIndex(of: "ab", in: text[...]) == 0)
        #expect(ByteSearch.firstIndex(of: "abc", in: text[...]) == 7)
        #expect(ByteSearch.firstIndex(of: "'x'", in: text[...]) == text.count - 3)
        #expect(ByteSearch.firstIndex(of: "'x'!", in: text[...]) == nil)
        #expect(ByteSearch.firstIndex(of: "zz", in: text[...]) == nil)
        // Indices are the slice's, which need not start at zero.
        let slice = text[3...]
        #expect(ByteSearch.firstIndex(of: "ab", in: slice) == 4)
        #expect(ByteSearch.firstIndex(of: "ab ", in: slice[..<6]) == nil, "the run would end past the slice")
        #expect(ByteSearch.contains(slice, "Performance counter") && !ByteSearch.contains(ArraySlice([]), "a"))
        #expect(ByteSearch.firstIndex(of: "", in: slice) == 3)
    }
}
