import Foundation

/// URLs as they may appear in logs, errors and metrics: no user info, no query, no fragment.
public enum RedactedURL {
    /// `https://user:pw@hooks.example.org/x?token=1` → `https://hooks.example.org/x`. With
    /// `keepPath: false` only scheme, host and port remain (for URLs whose path is the secret, such
    /// as Slack webhook URLs).
    public static func describe(_ url: String, keepPath: Bool = true) -> String {
        guard var components = URLComponents(string: url), components.host != nil else { return "<invalid URL>" }
        components.user = nil
        components.password = nil
        components.query = nil
        components.fragment = nil
        let hidden = !keepPath && !components.path.isEmpty
        if hidden { components.path = "" }
        guard let text = components.string else { return "<invalid URL>" }
        return hidden ? text + "/…" : text
    }
}
