import Crypto
import Foundation
import Mustache
import NIOCore
import RevisitModel

/// The templates, texts and static files of the server's web pages, read once at start from the module's resources:
/// a page is then rendered from memory, and a missing or broken template stops the server at start, not a customer.
struct WebResources: Sendable {
    struct Asset: Sendable {
        let bytes: ByteBuffer
        let contentType: String
        /// A short hash of the bytes: the asset's URL carries it, so a changed file is fetched anew by every phone.
        let version: String
    }

    let library: MustacheLibrary
    let texts: [PageLocale: [String: String]]
    let assets: [String: Asset]

    static func load() async throws -> WebResources {
        // The copied folder is `Resources`; Foundation on Linux takes a bundle holding a `Resources` folder for one
        // laid out as on macOS and already points into it.
        let candidates = [Bundle.module.resourceURL, Bundle.module.resourceURL?.appendingPathComponent("Resources")]
        guard
            let root = candidates.compactMap({ $0 }).first(where: {
                FileManager.default.fileExists(atPath: $0.appendingPathComponent("templates/review.mustache").path)
            })
        else { throw ConfigurationError("the web page resources are missing from the build") }
        let library = try await MustacheLibrary(directory: root.appendingPathComponent("templates").path)
        let pages = [
            "review", "message", "console-login", "console-followups", "console-message", "console-inspections",
            "console-reports", "console-webhooks", "console-followup",
        ]
        for name in pages where library.getTemplate(named: name) == nil {
            throw ConfigurationError("the web page template \(name).mustache is missing from the build")
        }
        var texts: [PageLocale: [String: String]] = [:]
        for locale in PageLocale.allCases {
            let data = try Data(contentsOf: root.appendingPathComponent("texts/\(locale.rawValue).json"))
            texts[locale] = try JSONDecoder().decode([String: String].self, from: data)
        }
        var assets: [String: Asset] = [:]
        let folder = root.appendingPathComponent("assets")
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            let type =
                switch (name as NSString).pathExtension {
                case "css": "text/css; charset=utf-8"
                case "js": "text/javascript; charset=utf-8"
                case "svg": "image/svg+xml"
                case "png": "image/png"
                default: "application/octet-stream"
                }
            let digest = SHA256.hash(data: data).prefix(6).map { String(format: "%02x", $0) }.joined()
            assets[name] = Asset(bytes: ByteBuffer(bytes: data), contentType: type, version: digest)
        }
        return WebResources(library: library, texts: texts, assets: assets)
    }

    /// The URL of a static file, with its version.
    func assetURL(_ name: String) -> String {
        "/assets/\(name)?v=\(assets[name]?.version ?? "0")"
    }

    /// A page's texts, English filling in any key the locale lacks.
    func texts(for locale: PageLocale) -> [String: String] {
        guard locale != .en else { return texts[.en] ?? [:] }
        return (texts[.en] ?? [:]).merging(texts[locale] ?? [:]) { $1 }
    }

    func render(_ context: [String: Any], template: String) -> String {
        library.render(context, withTemplate: template) ?? ""
    }
}
