extension ReportWriter {
    /// The charts the newest report published (`charts/<its name>/`), read
    /// without following a link; nil when there is none.
    package func publishedCharts() -> PublishedCharts? {
        guard let folder = try? OutputFolder(directory),
            let target = folder.target(ofLink: "latest.md"), target.hasSuffix(".md"),
            let charts = try? folder.subfolder(ReportWriter.chartsFolder, create: false),
            let published = try? charts.subfolder(String(target.dropLast(3)), create: false)
        else { return nil }
        return PublishedCharts(folder: published)
    }
}

/// The newest report's chart files, for the next report to take a chart from
/// instead of drawing it again when what it was drawn from is unchanged (see
/// `ReportFigures`). The folder is chimerad's own output: a file there is
/// trusted as far as the report beside it is.
package struct PublishedCharts {
    let folder: OutputFolder
    /// A chart is a few hundred kilobytes at most; a larger file is not one of ours.
    static let sizeLimit = 8 << 20

    /// The text of the chart file `name`, if it is a regular file of sensible size.
    package func text(of name: String) -> String? {
        folder.contents(of: name, limit: PublishedCharts.sizeLimit).map { String(decoding: $0, as: UTF8.self) }
    }
}
