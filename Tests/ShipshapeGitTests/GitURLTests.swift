import ShipshapeGit
import Testing

@Suite("URL sanitising")
struct GitURLTests {
    @Test(
        "userinfo and query strings are removed",
        arguments: [
            ("https://x-access-token:ghp_SECRET@github.com/org/repo.git", "https://github.com/org/repo.git"),
            ("https://ghp_SECRET@github.com/org/repo.git?token=1", "https://github.com/org/repo.git"),
            ("ssh://git@github.com:22/org/repo.git", "ssh://github.com:22/org/repo.git"),
            ("https://github.com/org/repo.git", "https://github.com/org/repo.git"),
            ("file:///srv/git/config.git", "file:///srv/git/config.git"),
            ("/srv/git/config.git", "/srv/git/config.git"),
            ("git@github.com:org/repo.git", "git@github.com:org/repo.git"),
            ("https://user:p@ss@host/x", "https://host/x"),
        ])
    func sanitize(url: String, expected: String) {
        #expect(sanitizedURL(url) == expected)
        #expect(GitURL.sanitize(url) == expected)
    }

    @Test("URLs inside free text lose their userinfo")
    func sanitizeText() {
        let text = "failed to connect to https://bot:SECRET@example.com/a.git: refused; see http://x:y@h:8/z"
        #expect(
            GitURL.sanitizeText(text)
                == "failed to connect to https://example.com/a.git: refused; see http://h:8/z")
        #expect(GitError(.operationFailed, text).description.contains("SECRET") == false)
    }
}
