/// No venv held a usable llama-server and model. The description is one line
/// naming every place looked and what was wrong there, and the command that
/// installs them.
package struct LlamaInstallationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One venv looked in, and why it did not do.
    package struct Place: Sendable, Equatable {
        package var venv: String
        package var problem: String

        package init(venv: String, problem: String) {
            self.venv = venv
            self.problem = problem
        }
    }

    /// The model asked for: a manifest's name for it, or the GGUF file `model.gguf` names.
    package var model: String
    package var places: [Place]

    package init(model: String, places: [Place]) {
        self.model = model
        self.places = places
    }

    package var description: String {
        let looked =
            places.isEmpty
            ? "no venv to look in"
            : "looked in " + places.map { "\($0.venv) (\($0.problem))" }.joined(separator: ", ")
        return "no llama-server with the \(model) model: \(looked); "
            + "install them with scripts/setup-model (into .venv) or scripts/setup-model /usr/local/lib/chimerad/venv (for the service), "
            + "or point CHIMERAD_VENV at a venv that has them"
    }
}
