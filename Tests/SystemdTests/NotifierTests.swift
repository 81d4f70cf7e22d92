import Testing

@testable import Systemd

@Suite struct NotifierTests {
    @Test func aStatusIsKeptOnOneLine() {
        #expect(Notifier.oneLine("a\nb\r\nc") == "a b c")
    }
}
