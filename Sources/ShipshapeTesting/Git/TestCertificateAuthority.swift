import Foundation

/// A throw-away certificate authority made with `openssl` for one test, and a server certificate
/// it signs for 127.0.0.1 (`subjectAltName=IP:127.0.0.1`). P-256 keys keep generation fast.
public struct TestCertificateAuthority: Sendable {
    /// PEM file of the CA certificate: what a client configures as its CA file.
    public let caFile: String
    /// PEM file of the server certificate.
    public let serverCertificateFile: String
    /// PEM file of the server's private key.
    public let serverKeyFile: String

    /// Creates the CA and a server certificate in `directory` (files named `<name>-…`).
    public static func make(in directory: String, name: String = "test", subjectAltName: String = "IP:127.0.0.1")
        async throws -> TestCertificateAuthority
    {
        let caKey = "\(directory)/\(name)-ca.key"
        let caFile = "\(directory)/\(name)-ca.pem"
        let serverKey = "\(directory)/\(name)-server.key"
        let serverRequest = "\(directory)/\(name)-server.csr"
        let serverFile = "\(directory)/\(name)-server.pem"
        let extensions = "\(directory)/\(name)-server.ext"
        try await GitToolRunner.run([
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", caKey, "-out", caFile, "-days", "2", "-subj", "/CN=Shipshape Test CA \(name)",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ])
        try await GitToolRunner.run([
            "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", serverKey, "-out", serverRequest, "-subj", "/CN=127.0.0.1",
        ])
        try Data(
            "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=\(subjectAltName)\n"
                .utf8
        ).write(to: URL(fileURLWithPath: extensions))
        try await GitToolRunner.run([
            "openssl", "x509", "-req", "-in", serverRequest, "-CA", caFile, "-CAkey", caKey, "-CAcreateserial",
            "-out", serverFile, "-days", "2", "-extfile", extensions,
        ])
        return TestCertificateAuthority(caFile: caFile, serverCertificateFile: serverFile, serverKeyFile: serverKey)
    }
}
