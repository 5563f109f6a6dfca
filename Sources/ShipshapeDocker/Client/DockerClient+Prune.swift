import Foundation
import Logging

extension DockerClient {
    /// Removes the older images of `repository`, keeping the `keep` most recent ones for a fast
    /// rollback, every image a container uses (running or stopped), and the images `protected`
    /// names (by tag, digest reference or id).
    ///
    /// Images are removed by tag, so an image that also carries a tag of another repository stays.
    /// Recency is the image's creation time. Three requests plus one inspect per image of the
    /// repository.
    /// - Returns: the tags removed, oldest first.
    public func pruneImages(repository: String, keep: Int, protecting protected: Set<String> = []) async throws
        -> [String]
    {
        let images = try await listImages(reference: repository)
            .filter { image in image.repoTags.contains { Self.splitReference($0).name == repository } }
        guard images.count > keep else { return [] }
        let inUse = Set(try await listContainers(all: true, labels: [:]).map(\.imageID))
        var dated: [(summary: ImageSummary, created: Date)] = []
        for image in images {
            let details = try await inspectImage(image.id)
            dated.append((image, details.flatMap { Self.parseTimestamp($0.created) } ?? image.created))
        }
        dated.sort { $0.created > $1.created }
        var removed: [String] = []
        for (summary, _) in dated.dropFirst(max(0, keep)).reversed() {
            let names = Set(summary.repoTags + summary.repoDigests + [summary.id])
            guard !inUse.contains(summary.id), names.isDisjoint(with: protected) else { continue }
            for tag in summary.repoTags.sorted() where Self.splitReference(tag).name == repository {
                try await removeImage(tag)
                removed.append(tag)
            }
        }
        if !removed.isEmpty {
            logger.info(
                "pruned images", metadata: ["image.repository": "\(repository)", "image.removed": "\(removed)"])
        }
        return removed
    }

    /// Docker's RFC 3339 timestamps, with or without fractional seconds.
    static func parseTimestamp(_ text: String) -> Date? {
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = withFraction.date(from: text) { return date }
        return ISO8601DateFormatter().date(from: text)
    }
}
