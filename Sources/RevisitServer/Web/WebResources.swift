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

    /// The templates once per language, with the texts (`{{t.key}}`) written in: a text is the same on every page of
    /// a language, and Mustache looks each tag up at render time through dynamic casts, several microseconds a tag.
    let libraries: [PageLocale: MustacheLibrary]
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
        var texts: [PageLocale: [String: String]] = [:]
        for locale in PageLocale.allCases {
            let data = try Data(contentsOf: root.appendingPathComponent("texts/\(locale.rawValue).json"))
            texts[locale] = try JSONDecoder().decode([String: String].self, from: data)
        }
        let sources = try templateSources(root.appendingPathComponent("templates"))
        let pages = [
            "review", "message", "console-login", "console-followups", "console-message", "console-inspections",
            "console-reports", "console-webhooks", "console-followup",
        ]
        for name in pages where sources[name] == nil {
            throw ConfigurationError("the web page template \(name).mustache is missing from the build")
        }
        var libraries: [PageLocale: MustacheLibrary] = [:]
        for locale in PageLocale.allCases {
            let words = merged(texts, locale)
            var library = MustacheLibrary()
            for (name, source) in sources {
                do {
                    try library.register(try withTexts(source, words, template: name), named: name)
                } catch let error as ConfigurationError {
                    throw error
                } catch {
                    throw ConfigurationError("the web page template \(name).mustache does not parse: \(error)")
                }
            }
            libraries[locale] = library
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
        return WebResources(libraries: libraries, texts: texts, assets: assets)
    }

    /// The URL of a static file, with its version.
    func assetURL(_ name: String) -> String {
        "/assets/\(name)?v=\(assets[name]?.version ?? "0")"
    }

    /// A page's texts, English filling in any key the locale lacks.
    func texts(for locale: PageLocale) -> [String: String] { Self.merged(texts, locale) }

    private static func merged(_ texts: [PageLocale: [String: String]], _ locale: PageLocale) -> [String: String] {
        guard locale != .en else { return texts[.en] ?? [:] }
        return (texts[.en] ?? [:]).merging(texts[locale] ?? [:]) { $1 }
    }

    /// Renders a page in the language its `lang` names (every page's chrome sets it from the texts it chose).
    func render(_ context: [String: Any], template: String) -> String {
        let locale = (context["lang"] as? String).flatMap(PageLocale.init(rawValue:)) ?? .en
        return libraries[locale]?.render(context, withTemplate: template) ?? ""
    }

    /// Every `.mustache` file of the folder by name without the extension, as `MustacheLibrary(directory:)` names them.
    private static func templateSources(_ folder: URL) throws -> [String: String] {
        var sources: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".mustache") {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            sources[String(name.dropLast(".mustache".count))] = text
        }
        return sources
    }

    /// A template with each `{{t.key}}` replaced by its text, escaped as Mustache would have escaped it. A key no
    /// texts file has stops the server at start, as a broken template does.
    static func withTexts(_ source: String, _ words: [String: String], template: String) throws -> String {
        var out = ""
        var rest = source[...]
        while let open = rest.range(of: "{{t.") {
            out += rest[..<open.lowerBound]
            guard !out.hasSuffix("{") else {
                throw ConfigurationError("the web page template \(template).mustache has {{{t.…}}}: texts are escaped")
            }
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw ConfigurationError("the web page template \(template).mustache has an unclosed {{t.")
            }
            let key = String(rest[open.upperBound..<close.lowerBound])
            guard let text = words[key] else {
                throw ConfigurationError(
                    "the web page template \(template).mustache uses text \(key), which en.json lacks"
                )
            }
            guard !text.contains("{{") else {
                throw ConfigurationError("the text \(key) holds {{, which a template would read as a tag")
            }
            out += HTMLText.escaped(text)
            rest = rest[close.upperBound...]
        }
        return out + rest
    }
}
