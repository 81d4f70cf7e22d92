// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "chimerad",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "chimerad", targets: ["chimerad"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // The vocabulary every stage shares: what a benchmark file turned into.
        .target(name: "Records", swiftSettings: strict),
        // Files on disk -> records: walking, decoding, parsers and the known shapes.
        .target(
            name: "Ingest",
            dependencies: ["Records", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        // The persistent registry of files and their records (SQLite through GRDB).
        .target(
            name: "Store",
            dependencies: ["Records", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        // Records -> facts: groups, statistics, sweeps, comparisons, findings.
        .target(name: "Analysis", dependencies: ["Records"], swiftSettings: strict),
        // Facts -> Markdown and JSON reports, written atomically.
        .target(name: "Reporting", dependencies: ["Records", "Analysis"], swiftSettings: strict),
        // The configuration: defaults, the YAML file, command-line overrides.
        .target(
            name: "Settings",
            dependencies: [
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        // One pass of the whole chain: scan, ingest, store, analyse, report.
        .target(
            name: "Pipeline",
            dependencies: [
                "Records", "Ingest", "Store", "Analysis", "Reporting", "Settings",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "chimerad",
            dependencies: [
                "Pipeline", "Settings", "Store",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "IngestTests", dependencies: ["Ingest", "Records"], swiftSettings: strict),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Records"], swiftSettings: strict),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis", "Records"], swiftSettings: strict),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting", "Analysis", "Records"], swiftSettings: strict),
        .testTarget(name: "SettingsTests", dependencies: ["Settings"], swiftSettings: strict),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline"], swiftSettings: strict),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [],
            swiftSettings: strict
        ),
    ]
)
