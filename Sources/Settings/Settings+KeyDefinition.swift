import Configuration

extension Settings {
    /// Everything about one key, made from its field's key path so the parts
    /// cannot disagree: the default, how a layer's value is read into the
    /// field, the checks, the rendering, and what a reload restarts.
    struct KeyDefinition: Sendable {
        let kind: ValueKind
        /// What a valid value looks like, for "expected ..." errors.
        let expected: String
        let reloadEffect: ReloadEffect
        /// Shown beside an empty or unset value in the rendered configuration.
        let unsetNote: String?
        /// A valid value other than the default, for the table's own tests.
        let example: ConfigContent
        /// The built-in default, given the default state folder; nil: no default
        /// (an optional the server decides).
        let defaultContent: @Sendable (_ stateDirectory: String) -> ConfigContent?
        /// The field's value in `settings`; nil: an unset optional.
        let content: @Sendable (Settings) -> ConfigContent?
        /// Sets the field from a layer's value, or says why it cannot.
        let assign: @Sendable (ConfigContent?, inout Settings) -> String?
        /// Why the field's value is not acceptable (given the other fields), if it is not.
        let problem: @Sendable (Settings) -> String?

        init<Value: SettingValue>(
            _ field: any WritableKeyPath<Settings, Value> & Sendable,
            stateDefault: @escaping @Sendable (_ stateDirectory: String) -> Value,
            expected: String? = nil,
            reload: ReloadEffect,
            example: Value,
            unsetNote: String? = nil,
            check: @escaping @Sendable (Value, Settings) -> String? = { _, _ in nil }
        ) {
            let expected = expected ?? Value.kind.expected
            kind = Value.kind
            self.expected = expected
            reloadEffect = reload
            self.unsetNote = unsetNote
            // `example` exists for tests only; an optional's example is never unset.
            self.example = example.content ?? .string("")
            defaultContent = { stateDirectory in stateDefault(stateDirectory).content }
            content = { settings in settings[keyPath: field].content }
            assign = { content, settings in
                switch Value.decode(content) {
                case .success(let value):
                    settings[keyPath: field] = value
                    return nil
                case .failure(let failure):
                    return failure.reason ?? "expected \(expected)"
                }
            }
            problem = { settings in check(settings[keyPath: field], settings) }
        }

        init<Value: SettingValue>(
            _ field: any WritableKeyPath<Settings, Value> & Sendable,
            default value: Value,
            expected: String? = nil,
            reload: ReloadEffect,
            example: Value,
            unsetNote: String? = nil,
            check: @escaping @Sendable (Value, Settings) -> String? = { _, _ in nil }
        ) {
            self.init(
                field, stateDefault: { _ in value }, expected: expected, reload: reload, example: example, unsetNote: unsetNote,
                check: check)
        }
    }
}
