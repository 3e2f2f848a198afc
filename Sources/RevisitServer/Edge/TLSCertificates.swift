import Foundation
import Logging
import NIOSSL
import ServiceLifecycle
import Synchronization
import UnixSignals

/// The server's certificate chain and key (`--tls-cert`, `--tls-key`, PEM), read at start and again on SIGHUP: a
/// renewed certificate needs no restart, open connections keep the one they began with, and a renewal that cannot
/// be read is logged while the previous certificate goes on serving. TLS 1.2 is the oldest version offered.
final class TLSCertificates: Sendable {
    let certificatePath: String
    let keyPath: String
    private let context: Mutex<NIOSSLContext>

    /// Throws ``ConfigurationError`` naming the file when a file is missing, holds no PEM certificate or key, or
    /// the key does not belong to the certificate.
    init(certificate: String, key: String) throws {
        certificatePath = certificate
        keyPath = key
        context = Mutex(try Self.load(certificate: certificate, key: key))
    }

    var current: NIOSSLContext { context.withLock { $0 } }

    func reload() throws {
        let fresh = try Self.load(certificate: certificatePath, key: keyPath)
        context.withLock { $0 = fresh }
    }

    static func load(certificate: String, key: String) throws -> NIOSSLContext {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificate)
        } catch {
            throw ConfigurationError("--tls-cert \(certificate): cannot read a PEM certificate (\(error))")
        }
        guard !chain.isEmpty else { throw ConfigurationError("--tls-cert \(certificate) holds no certificate") }
        let privateKey: NIOSSLPrivateKey
        do {
            privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
        } catch {
            throw ConfigurationError("--tls-key \(key): cannot read a PEM private key (\(error))")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) },
            privateKey: .privateKey(privateKey)
        )
        configuration.minimumTLSVersion = .tlsv12
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch NIOSSLError.failedToLoadPrivateKey {
            // BoringSSL refuses a key that does not match the chain's first certificate.
            throw ConfigurationError("--tls-key \(key) is not the key of the certificate in --tls-cert \(certificate)")
        } catch {
            throw ConfigurationError("--tls-cert and --tls-key cannot be used together (\(error))")
        }
    }
}

/// Reads the certificate again on each SIGHUP, for as long as the server runs (swift-service-lifecycle's signal
/// sequence, which also keeps SIGHUP from ending the process once it is trapped).
struct TLSReloadService: Service {
    let certificates: TLSCertificates
    let logger: Logger
    private let hangups: UnixSignalsSequence

    /// Traps SIGHUP before it returns, so that from the moment the server listens a SIGHUP means "read again"
    /// and never ends the process.
    init(certificates: TLSCertificates, logger: Logger) async {
        self.certificates = certificates
        self.logger = logger
        hangups = await UnixSignalsSequence(trapping: .sighup)
    }

    func run() async throws {
        for await _ in hangups.cancelOnGracefulShutdown() {
            do {
                try certificates.reload()
                logger.notice("TLS certificate read again", metadata: ["cert": "\(certificates.certificatePath)"])
            } catch {
                logger.error(
                    "TLS certificate not read again; the previous one still serves",
                    metadata: ["error": "\(error)"]
                )
            }
        }
    }
}
