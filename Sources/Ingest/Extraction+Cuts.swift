import Records

extension Extraction {
    /// Adds the note saying how many texts kept are cut ones, if any: a
    /// JSON document's strings are cut as the formats take them, which no
    /// parse log sees.
    mutating func noteCutTexts() {
        let cut = cutTexts
        if cut > 0 { notes.append(TextCuts.note(count: cut)) }
    }

    /// How many distinct texts kept are cut ones (`TextCuts.isCut`): model
    /// names, parameters, error messages, names of results and series.
    var cutTexts: Int {
        var cut = Set<String>()
        func look(_ text: String?) {
            if let text, TextCuts.isCut(text) { cut.insert(text) }
        }
        func look(_ parameters: [Parameter]) {
            for parameter in parameters {
                look(parameter.name)
                look(parameter.value)
            }
        }
        look(modelHint)
        look(environment)
        for set in runSets {
            look(set.model)
            look(set.configuration)
            for error in set.columns.errors.values { look(error) }
        }
        for row in aggregates {
            look(row.model)
            look(row.configuration)
            for name in row.metrics.keys { look(name) }
        }
        for result in compilation {
            look(result.model)
            look(result.backend)
            look(result.error)
            look(result.parameters)
        }
        for result in llamaBench {
            look(result.model)
            look(result.test)
            look(result.parameters)
            look(result.environment)
        }
        for measurement in measurements {
            look(measurement.name)
            look(measurement.unit)
            look(measurement.parameters)
        }
        for series in series { look(series.name) }
        return cut.count
    }
}
