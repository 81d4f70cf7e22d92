import Configuration

/// A type a settings field may have: how its value travels between the layers
/// (defaults, the file, the flags) and is read back. The key table is generic
/// over it, so a field's type decides its parsing and rendering.
protocol SettingValue: Sendable, Equatable {
    static var kind: Settings.ValueKind { get }
    /// The value as the layers carry it; nil only for an unset optional.
    var content: ConfigContent? { get }
    /// The value `content` carries, or why it is none.
    static func decode(_ content: ConfigContent?) -> Result<Self, SettingValueFailure>
}

/// Why a layer's value is not a value of the field's type; without a reason,
/// the key's "expected ..." text says it.
struct SettingValueFailure: Error {
    var reason: String?
}

/// A field whose values are a closed list of words (`model.backend`, `log.level`).
protocol SettingChoice: SettingValue, RawRepresentable<String>, CaseIterable {}

extension SettingChoice {
    static var kind: Settings.ValueKind { .choice(allCases.map(\.rawValue)) }
    var content: ConfigContent? { .string(rawValue) }
    static func decode(_ content: ConfigContent?) -> Result<Self, SettingValueFailure> {
        guard case .string(let text) = content else { return .failure(SettingValueFailure()) }
        guard let value = Self(rawValue: text) else {
            let choices = allCases.map(\.rawValue).joined(separator: ", ")
            return .failure(SettingValueFailure(reason: "'\(text)' is not one of \(choices)"))
        }
        return .success(value)
    }
}

extension Settings.ModelBackendChoice: SettingChoice {}
extension Settings.Log.Target: SettingChoice {}
extension Settings.Model.Priority: SettingChoice {}
extension Settings.Log.Level: SettingChoice {}
extension Settings.Notify.Format: SettingChoice {}

extension Int: SettingValue {
    static var kind: Settings.ValueKind { .integer }
    var content: ConfigContent? { .int(self) }
    static func decode(_ content: ConfigContent?) -> Result<Int, SettingValueFailure> {
        guard case .int(let value) = content else { return .failure(SettingValueFailure()) }
        return .success(value)
    }
}

extension Int64: SettingValue {
    static var kind: Settings.ValueKind { .integer }
    var content: ConfigContent? { .int(Int(self)) }
    static func decode(_ content: ConfigContent?) -> Result<Int64, SettingValueFailure> {
        guard case .int(let value) = content else { return .failure(SettingValueFailure()) }
        return .success(Int64(value))
    }
}

extension Double: SettingValue {
    static var kind: Settings.ValueKind { .number }
    var content: ConfigContent? { .double(self) }
    static func decode(_ content: ConfigContent?) -> Result<Double, SettingValueFailure> {
        switch content {
        case .double(let value): .success(value)
        // A whole number is a number too (`--timeout 30` from code that has an Int).
        case .int(let value): .success(Double(value))
        default: .failure(SettingValueFailure())
        }
    }
}

extension Bool: SettingValue {
    static var kind: Settings.ValueKind { .boolean }
    var content: ConfigContent? { .bool(self) }
    static func decode(_ content: ConfigContent?) -> Result<Bool, SettingValueFailure> {
        guard case .bool(let value) = content else { return .failure(SettingValueFailure()) }
        return .success(value)
    }
}

extension String: SettingValue {
    static var kind: Settings.ValueKind { .text }
    var content: ConfigContent? { .string(self) }
    static func decode(_ content: ConfigContent?) -> Result<String, SettingValueFailure> {
        guard case .string(let value) = content else { return .failure(SettingValueFailure()) }
        return .success(value)
    }
}

extension Array: SettingValue where Element == String {
    static var kind: Settings.ValueKind { .textList }
    var content: ConfigContent? { .stringArray(self) }
    static func decode(_ content: ConfigContent?) -> Result<[String], SettingValueFailure> {
        guard case .stringArray(let value) = content else { return .failure(SettingValueFailure()) }
        return .success(value)
    }
}

/// An optional field: unset means the server's default applies.
extension Optional: SettingValue where Wrapped: SettingValue {
    static var kind: Settings.ValueKind { Wrapped.kind }
    var content: ConfigContent? { self?.content }
    static func decode(_ content: ConfigContent?) -> Result<Wrapped?, SettingValueFailure> {
        guard let content else { return .success(nil) }
        return Wrapped.decode(content).map { $0 }
    }
}
