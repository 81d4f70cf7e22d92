import Records

/// What a JSON file that is no benchmark of its own says about the machine
/// (a harness's `env.json` or `system_info.json`, a monitor's samples with
/// the GPU's name, extra keys in a run summary): its host, GPU, CPU and
/// driver, as environment items. The folder's run files take them as their
/// sessions' environment, so a night on another GPU is said to differ
/// instead of being tested as a regression.
///
/// A string is taken when its own key names the machine (`hostname`,
/// `gpu_name`, `cpu`, `driver_version`), or when it is the name of an
/// object whose key does (`"gpu": [{"name": "NVIDIA GeForce RTX 4080"}]`
/// gives `gpu`). Bounded: four objects deep, an array's first element only
/// (a monitor's samples repeat the machine), the first `maximumItems` keys.
///
///     MachineDescription.environment(of: json)  // [gpu=NVIDIA GeForce RTX 4090, hostname=lab-2]
enum MachineDescription {
    static let maximumItems = 8
    static let maximumDepth = 4
    /// The longest value taken: a name, not a log.
    static let maximumValueBytes = 200

    /// Keys that name the object they are in.
    static let nameKeys: Set<String> = ["name", "model", "brand", "brand_raw", "product_name", "model_name"]

    static func environment(of document: JSONValue) -> [Parameter] {
        var found: [Parameter] = []
        visit(document, key: nil, container: nil, depth: 0, into: &found)
        return found
    }

    /// A key that names the machine (`MachineKey`), or what drives its GPU.
    private static func namesMachine(_ key: String) -> Bool {
        let lower = key.lowercased()
        // `ollama_host` is the run's own setting where run files record it, and a URL, not a machine's name.
        return lower != "ollama_host" && (MachineKey.names(lower) || lower.contains("driver"))
    }

    private static func visit(_ value: JSONValue, key: String?, container: String?, depth: Int, into found: inout [Parameter]) {
        guard found.count < maximumItems, depth <= maximumDepth else { return }
        switch value {
        case .object(let members):
            for (member, inner) in members { visit(inner, key: member, container: key, depth: depth + 1, into: &found) }
        case .array(let elements):
            // An array is no level of its own: `"gpu": [{"name": ...}]` is the GPU's name.
            if let first = elements.first { visit(first, key: key, container: container, depth: depth, into: &found) }
        case .string(let text):
            guard let key, !text.isEmpty, text.utf8.count <= maximumValueBytes else { return }
            let name: String
            if namesMachine(key) {
                name = key
            } else if nameKeys.contains(key.lowercased()), let container, namesMachine(container) {
                name = container
            } else {
                return
            }
            let value = text.trimmingBlanks()
            guard !value.isEmpty, !found.contains(where: { $0.name == name }) else { return }
            found.append(Parameter(name, value))
        default:
            return
        }
    }
}
