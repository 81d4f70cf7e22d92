import Foundation
import Testing

@testable import Settings

/// A config file in a folder of its own, for the tests of one section:
/// `chimerad.yaml` written there and loaded with a fixed home.
enum ConfigFolder {
    static let environment = ["HOME": "/home/u"]

    static func with<T>(_ body: (String) async throws -> T) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chimerad-config-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        return try await body(folder)
    }

    static func load(_ yaml: String, in folder: String) async throws -> Settings {
        let file = folder + "/chimerad.yaml"
        try yaml.write(toFile: file, atomically: true, encoding: .utf8)
        return try await Settings.load(file: file, environment: environment)
    }

    /// The error loading `yaml` fails with (the test fails if it loads).
    static func error(_ yaml: String, in folder: String) async throws -> SettingsError {
        try await #require(throws: SettingsError.self) { try await load(yaml, in: folder) }
    }
}
