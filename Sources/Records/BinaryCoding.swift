/// A compact little-endian byte format for extractions.
///
/// Why not JSON: a large tree holds hundreds of thousands of runs, and the store
/// hands all of them to analysis on every report; decoding packed bytes keeps an
/// incremental report a small fraction of a cold one.
package struct BinaryWriter: Sendable {
    package private(set) var bytes: [UInt8] = []

    package init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    package mutating func write(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Unsigned LEB128: counts and lengths are mostly tiny.
    package mutating func writeVarint(_ value: Int) {
        var v = UInt64(UInt(bitPattern: value))
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    package mutating func write(_ value: Double) {
        write(value.bitPattern)
    }

    package mutating func write(_ value: Double?) {
        write(value?.bitPattern ?? BinaryWriter.absent)
    }

    package mutating func write(_ value: Bool) {
        bytes.append(value ? 1 : 0)
    }

    package mutating func write(_ value: String) {
        var copy = value
        copy.withUTF8 { utf8 in
            writeVarint(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    package mutating func write(_ value: String?) {
        write(value != nil)
        if let value { write(value) }
    }

    package mutating func writeBytes(_ values: [UInt8]) {
        bytes.append(contentsOf: values)
    }

    /// A column of numbers as raw little-endian bytes, loaded back with one copy.
    package mutating func writeRaw(_ values: [UInt64]) {
        writeVarint(values.count)
        #if _endian(little)
        values.withUnsafeBytes { bytes.append(contentsOf: $0) }
        #else
        for value in values { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
        #endif
    }

    package mutating func writeRaw(_ values: [Double]) {
        writeVarint(values.count)
        #if _endian(little)
        values.withUnsafeBytes { bytes.append(contentsOf: $0) }
        #else
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        #endif
    }

    package mutating func write(_ parameters: [Parameter]) {
        writeVarint(parameters.count)
        for parameter in parameters {
            write(parameter.name)
            write(parameter.value)
        }
    }

    /// The bit pattern standing for "no value": a quiet NaN no parser produces.
    static let absent: UInt64 = 0x7FF8_DEAD_BEEF_0001
}

/// Reads what `BinaryWriter` wrote; every read is bounds-checked, so a damaged
/// blob is an error, never a crash.
package struct BinaryReader {
    package enum Failure: Error, Equatable {
        case truncated(at: Int)
        case invalid(String)
    }

    private let bytes: [UInt8]
    package private(set) var offset = 0

    package init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    package var isAtEnd: Bool { offset == bytes.count }

    package mutating func readUInt64() throws -> UInt64 {
        guard offset + 8 <= bytes.count else { throw Failure.truncated(at: offset) }
        var value: UInt64 = 0
        for shift in 0..<8 {
            value |= UInt64(bytes[offset + shift]) << (8 * UInt64(shift))
        }
        offset += 8
        return value
    }

    package mutating func readVarint() throws -> Int {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.count else { throw Failure.truncated(at: offset) }
            let byte = bytes[offset]
            offset += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { break }
            shift += 7
            guard shift < 64 else { throw Failure.invalid("varint too long at \(offset)") }
        }
        guard result <= UInt64(Int.max) else { throw Failure.invalid("varint out of range at \(offset)") }
        return Int(result)
    }

    /// A count that must fit in what is left of the blob, so a corrupt length
    /// cannot make us allocate gigabytes.
    package mutating func readCount(elementSize: Int = 1) throws -> Int {
        let count = try readVarint()
        guard count <= (bytes.count - offset) / max(elementSize, 1) else {
            throw Failure.invalid("count \(count) exceeds the data left at \(offset)")
        }
        return count
    }

    package mutating func readDouble() throws -> Double {
        Double(bitPattern: try readUInt64())
    }

    package mutating func readOptionalDouble() throws -> Double? {
        let bits = try readUInt64()
        return bits == BinaryWriter.absent ? nil : Double(bitPattern: bits)
    }

    package mutating func readBool() throws -> Bool {
        guard offset < bytes.count else { throw Failure.truncated(at: offset) }
        defer { offset += 1 }
        switch bytes[offset] {
        case 0: return false
        case 1: return true
        default: throw Failure.invalid("bad boolean at \(offset)")
        }
    }

    package mutating func readBytes(_ count: Int) throws -> [UInt8] {
        guard count <= bytes.count - offset else { throw Failure.truncated(at: offset) }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// Moves past `count` bytes without copying them.
    package mutating func skip(_ count: Int) throws {
        guard count >= 0, count <= bytes.count - offset else { throw Failure.truncated(at: offset) }
        offset += count
    }

    package mutating func readString() throws -> String {
        let count = try readCount()
        defer { offset += count }
        return String(decoding: bytes[offset..<offset + count], as: UTF8.self)
    }

    package mutating func readOptionalString() throws -> String? {
        try readBool() ? try readString() : nil
    }

    /// A column written by `writeRaw`, decoded with one pass over its bytes.
    private mutating func readRaw<T>(_ convert: (UInt64) -> T) throws -> [T] {
        let count = try readCount(elementSize: 8)
        let values = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            bytes.withUnsafeBytes { raw in
                let source = UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + count * 8)])
                for index in 0..<count {
                    let bits = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self))
                    buffer.initializeElement(at: index, to: convert(bits))
                }
            }
            initialized = count
        }
        offset += count * 8
        return values
    }

    package mutating func readRawUInt64() throws -> [UInt64] {
        try readRaw { $0 }
    }

    package mutating func readRawDoubles() throws -> [Double] {
        try readRaw(Double.init(bitPattern:))
    }

    package mutating func readParameters() throws -> [Parameter] {
        let count = try readCount(elementSize: 2)
        var parameters = [Parameter]()
        parameters.reserveCapacity(count)
        for _ in 0..<count {
            let name = try readString()
            parameters.append(Parameter(name, try readString()))
        }
        return parameters
    }
}
