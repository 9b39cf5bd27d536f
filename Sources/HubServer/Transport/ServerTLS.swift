import Foundation
import NIOSSL

/// The hub's own HTTPS (`HUB_TLS_CERT` and `HUB_TLS_KEY`, PEM files): loaded and checked once at start, so a
/// missing file, a key that does not match the certificate or only one of the two settings stops the hub
/// with a clear message instead of serving plain HTTP or failing at the first handshake.
public enum ServerTLS {
    public enum Problem: Error, CustomStringConvertible {
        case halfConfigured
        case unusable(String, String)

        public var description: String {
            switch self {
            case .halfConfigured:
                "HUB_TLS_CERT and HUB_TLS_KEY go together: set both (PEM certificate chain and private key) or neither"
            case .unusable(let what, let error):
                "cannot use \(what) for HTTPS: \(error)"
            }
        }
    }

    /// The server TLS configuration (TLS 1.2 or later), or nil when neither setting is given.
    public static func load(_ settings: TransportSettings) throws -> TLSConfiguration? {
        switch (settings.tlsCertificatePath, settings.tlsKeyPath) {
        case (nil, nil):
            return nil
        case (let certificatePath?, let keyPath?):
            let chain: [NIOSSLCertificate]
            let key: NIOSSLPrivateKey
            do { chain = try NIOSSLCertificate.fromPEMFile(certificatePath) } catch {
                throw Problem.unusable("HUB_TLS_CERT \(certificatePath)", "\(error)")
            }
            do { key = try NIOSSLPrivateKey(file: keyPath, format: .pem) } catch { throw Problem.unusable("HUB_TLS_KEY \(keyPath)", "\(error)") }
            guard !chain.isEmpty else { throw Problem.unusable("HUB_TLS_CERT \(certificatePath)", "no certificate in the file") }
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: chain.map { .certificate($0) },
                privateKey: .privateKey(key)
            )
            configuration.minimumTLSVersion = .tlsv12
            // Builds the context now: a key that does not belong to the certificate fails here.
            do { _ = try NIOSSLContext(configuration: configuration) } catch {
                throw Problem.unusable("HUB_TLS_CERT/HUB_TLS_KEY", "\(error)")
            }
            return configuration
        default:
            throw Problem.halfConfigured
        }
    }
}
