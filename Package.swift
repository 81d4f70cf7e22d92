// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "chimerad",
    products: [
        .executable(name: "chimerad", targets: ["chimerad"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        // Already in the graph (async-http-client, Hummingbird): named for the
        // socket systemd passes, which Hummingbird's own server cannot take, and the header types.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        // Already in the graph (Hummingbird): the request parts the server's
        // request deadline looks at.
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        // The fleet store (issue 13): PostgreSQL's wire protocol; swift-nio-ssl
        // (already in the graph) is named for the TLS settings sslmode maps to.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
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
        // SVG charts from a few primitives: no dependency, no input but numbers and labels.
        .target(name: "Charts", dependencies: ["Records"], swiftSettings: strict),
        .target(
            name: "Reporting",
            dependencies: [
                "Records", "Analysis", "Narration", "ModelInterface", "CCmarkGFM", "Charts", .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict),
        // Facts -> a model's prompt, and the model's reply -> a narrative whose every number is checked.
        .target(
            name: "Narration", dependencies: ["Analysis", "Records", "ModelInterface", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        // The model interface: the protocol every backend implements, and the
        // request, reply, identity, metrics and error it speaks in. Small, so a
        // test can fake a model without a server.
        .target(name: "ModelInterface", dependencies: ["Records"], swiftSettings: strict),
        // Talking to a local model server (Ollama, OpenAI-compatible, a managed llama-server) behind one protocol.
        .target(
            name: "ModelBackends",
            dependencies: [
                "ModelInterface", "Records", "CIOPriority", "CProcessSpawn",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The configuration: defaults, the YAML file, command-line overrides.
        .target(
            name: "Settings",
            dependencies: [
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        // The webhook: each event's JSON (or ntfy text), and the service that posts the store's outbox with retries.
        .target(
            name: "Notify",
            dependencies: [
                "Records", "Settings", "Store", "Systemd",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // The fleet store on PostgreSQL (issue 13): the connection built from the
        // settings (TLS per sslmode) and the versioned, shared schema.
        .target(
            name: "Fleet",
            dependencies: [
                "Settings", "Store", "Notify", "Records", "Systemd",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // One pass of the whole chain: scan, ingest, store, analyse, report.
        .target(
            name: "Pipeline",
            dependencies: [
                "Records", "Ingest", "Store", "Analysis", "Narration", "ModelInterface", "ModelBackends", "Reporting", "Settings", "CMalloc",
                "Systemd", "Notify", "Fleet", .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"), .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: strict
        ),
        // ioprio_set(2), which glibc does not wrap: the managed model's idle I/O class.
        .systemLibrary(name: "CIOPriority"),
        // fork, prctl(PR_SET_PDEATHSIG) and exec: a managed llama-server that ends with chimerad.
        .systemLibrary(name: "CProcessSpawn"),
        // cmark-gfm (GitHub's CommonMark, with tables) from Debian's libcmark-gfm-dev
        // and libcmark-gfm-extensions-dev: the HTML report is the Markdown rendered by it.
        .systemLibrary(name: "CCmarkGFM", providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),
        // glibc's mallopt, to have large freed blocks returned (see Pipeline's AllocatorSettings).
        .systemLibrary(name: "CMalloc"),
        // libsystemd (sd_notify, sd_journal_sendv) from Debian's libsystemd-dev.
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        // Talking to systemd: readiness, status and watchdog notifications, the journal.
        .target(
            name: "Systemd",
            dependencies: ["CSystemd", "Records", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        // inotify: recursive watches over the roots, turned into settled change sets.
        .target(
            name: "Watching",
            dependencies: ["Records", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        // The read-only HTTP view of the output folder and /metrics (`http.listen`).
        .target(
            name: "Serving",
            dependencies: [
                "Settings", "Systemd", "Records", "Reporting", "Charts",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // `chimerad run`: the watching service, its loop, reloads and shutdown.
        .target(
            name: "Daemon",
            dependencies: [
                "Pipeline", "Ingest", "Reporting", "Watching", "Systemd", "Settings", "Store", "ModelBackends", "Narration", "Notify",
                "Fleet", .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "chimerad",
            dependencies: [
                "Analysis", "Pipeline", "Settings", "Store", "Daemon", "Systemd", "ModelBackends", "Narration", "Notify", "Serving",
                "Fleet",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "IngestTests", dependencies: ["Ingest", "Records", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "StoreTests", dependencies: ["Store", "Records", .product(name: "GRDB", package: "GRDB.swift")], swiftSettings: strict),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis", "Records", "Ingest"], swiftSettings: strict),
        .testTarget(
            name: "ReportingTests", dependencies: ["Reporting", "Analysis", "Records", "Narration", "ModelInterface", "Charts"], swiftSettings: strict
        ),
        .testTarget(name: "NarrationTests", dependencies: ["Narration", "ModelInterface", "Analysis", "Records", "Ingest"], swiftSettings: strict),
        .testTarget(
            name: "ModelBackendsTests", dependencies: ["ModelBackends", "ModelInterface", "Narration", "TestSupport", "CIOPriority"],
            swiftSettings: strict),
        .testTarget(name: "SettingsTests", dependencies: ["Settings", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "NotifyTests",
            dependencies: [
                "Notify", "Settings", "Store", "TestSupport", .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "FleetTests",
            dependencies: [
                "Fleet", "Settings", "Store", "TestSupport", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ], swiftSettings: strict),
        .testTarget(
            name: "ServingTests",
            dependencies: [
                "Serving", "Settings", .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"), .product(name: "HTTPTypes", package: "swift-http-types"),
            ], swiftSettings: strict),
        .testTarget(name: "ChartsTests", dependencies: ["Charts", "Records"], swiftSettings: strict),
        .testTarget(
            name: "PipelineTests",
            dependencies: [
                "Pipeline", "Ingest", "Store", "Settings", "Analysis", "Narration", "ModelInterface", "ModelBackends", "Records", "TestSupport",
                "Notify", "Reporting", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "SystemdTests", dependencies: ["Systemd", "CSystemd", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "WatchingTests", dependencies: ["Watching", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "DaemonTests", dependencies: ["Daemon", "Watching", "Pipeline", "Store", "Settings", "Systemd"], swiftSettings: strict),
        // What the integration tests share: a NOTIFY_SOCKET listener standing in
        // for systemd's (a real socket, as systemd's is).
        .target(
            name: "TestSupport", dependencies: [.product(name: "Logging", package: "swift-log")], path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["TestSupport", "ModelBackends"],
            swiftSettings: strict
        ),
    ]
)
