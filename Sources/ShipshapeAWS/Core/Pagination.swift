/// Follows `NextToken`-style pagination until the service returns no token.
///
/// `fetch` gets the token of the page to fetch (`nil` for the first) and returns that page's items
/// and the next token. A token the service repeats ends the walk with an error instead of looping.
func paginate<Item>(
    _ action: AWSAction, _ fetch: (String?) async throws -> (items: [Item], next: String?)
) async throws -> [Item] {
    var all: [Item] = []
    var token: String?
    var seen: Set<String> = []
    repeat {
        let page = try await fetch(token)
        all.append(contentsOf: page.items)
        token = page.next.flatMap { $0.isEmpty ? nil : $0 }
        if let token, !seen.insert(token).inserted {
            throw AWSError(
                code: AWSError.Code.malformedResponse.rawValue, message: "the service repeated pagination token \(token)",
                service: action.service.signingName, operation: action.name, classification: .client)
        }
    } while token != nil
    return all
}
