import Foundation
import Logging

/// Credentials from the shared files, as the AWS CLI reads them.
///
/// The profile is `profile`, else `AWS_PROFILE`, else `default`. `aws_access_key_id`,
/// `aws_secret_access_key` and `aws_session_token` are looked up in the credentials file
/// (`AWS_SHARED_CREDENTIALS_FILE`, default `~/.aws/credentials`, section `[name]`) and then the
/// config file (`AWS_CONFIG_FILE`, default `~/.aws/config`, section `[profile name]`, or
/// `[default]`). Role assumption (`role_arn`/`source_profile`), SSO and `credential_process` are not
/// supported: such a profile fails with a message saying so.
public struct ProfileCredentialProvider: CredentialProvider {
    public let profile: String
    public let credentialsFile: String
    public let configFile: String

    public init(profile: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
        let home = environment["HOME"] ?? NSHomeDirectory()
        self.profile = profile ?? environment["AWS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        credentialsFile = environment["AWS_SHARED_CREDENTIALS_FILE"] ?? "\(home)/.aws/credentials"
        configFile = environment["AWS_CONFIG_FILE"] ?? "\(home)/.aws/config"
    }

    public func credentials(logger: Logger) async throws -> AWSCredentials {
        let fromCredentials = Self.section(named: profile, in: Self.parse(file: credentialsFile))
        let config = Self.parse(file: configFile)
        let fromConfig = Self.section(named: profile == "default" ? "default" : "profile \(profile)", in: config)
            ?? Self.section(named: profile, in: config)
        for (section, file) in [(fromCredentials, credentialsFile), (fromConfig, configFile)] {
            guard let section else { continue }
            if let key = section["aws_access_key_id"], let secret = section["aws_secret_access_key"], !key.isEmpty,
                !secret.isEmpty
            {
                return AWSCredentials(
                    accessKeyID: key, secretAccessKey: secret, sessionToken: section["aws_session_token"],
                    source: "profile \(profile) (\(file))")
            }
            if section["role_arn"] != nil || section["sso_start_url"] != nil || section["sso_session"] != nil
                || section["credential_process"] != nil
            {
                throw AWSError(
                    code: AWSError.Code.noCredentials.rawValue,
                    message:
                        "profile \(profile) in \(file) uses role assumption, SSO or credential_process, which Shipshape does not support; give it static keys or use the instance role",
                    service: "credentials", operation: "profile", classification: .auth)
            }
        }
        throw AWSError(
            code: AWSError.Code.noCredentials.rawValue,
            message: "profile \(profile) has no aws_access_key_id/aws_secret_access_key in \(credentialsFile) or \(configFile)",
            service: "credentials", operation: "profile", classification: .auth)
    }

    /// The region the profile names in the config file (`region = …`), if any.
    public func region() -> String? {
        let config = Self.parse(file: configFile)
        let section = Self.section(named: profile == "default" ? "default" : "profile \(profile)", in: config)
        return section?["region"]
    }

    /// An INI file as sections of key/value pairs. Comments (`#`, `;`) and blank lines are skipped;
    /// indented lines (nested settings such as `s3 =` blocks) are ignored.
    static func parse(file: String) -> [String: [String: String]] {
        guard let data = FileManager.default.contents(atPath: file) else { return [:] }
        var sections: [String: [String: String]] = [:]
        var current: String?
        for rawLine in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
            if rawLine.first == " " || rawLine.first == "\t" { continue }
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                let name = line.dropFirst().dropLast().split(whereSeparator: \.isWhitespace).joined(separator: " ")
                current = name
                sections[name, default: [:]] = sections[name] ?? [:]
                continue
            }
            guard let current, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            sections[current]?[key] = value
        }
        return sections
    }

    static func section(named name: String, in sections: [String: [String: String]]) -> [String: String]? {
        sections[name]
    }
}
