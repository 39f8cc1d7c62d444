import HTTPTypes
import Hummingbird
import Synchronization

/// Answers 405 `method_not_allowed` with an `Allow` header when no route has the request's
/// method but a route has its path (Hummingbird's router answers 404 for both).
///
/// It reads the router's routes the first time it is needed, when every route is registered.
public struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    private let table: RouteTable<Context>

    /// A middleware for the routes of `router`.
    public init(router: Router<Context>) {
        table = RouteTable(router: router)
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = table.methods(forPath: request.uri.path)
            guard !allowed.isEmpty, !allowed.contains(request.method.rawValue) else { throw error }
            throw APIError.methodNotAllowed(
                "\(request.method.rawValue) is not allowed on \(request.uri.path)",
                allow: allowed.joined(separator: ", ")
            )
        }
    }
}

/// The router's paths and their methods, read once and then matched without locks held long.
final class RouteTable<Context: RequestContext>: @unchecked Sendable {
    private struct Route {
        var segments: [Substring]
        var methods: Set<String>
    }

    // The router is only read, after start-up, on the first lookup (under `routes`' lock), and
    // released then. (The application keeps only the responder built from it.)
    private var router: Router<Context>?
    private let routes = Mutex<[Route]?>(nil)

    init(router: Router<Context>) {
        self.router = router
    }

    /// The methods of every route whose pattern matches `path`, sorted.
    func methods(forPath path: String) -> [String] {
        let routes = self.routes.withLock { cached in
            if let cached { return cached }
            var byPath: [String: Set<String>] = [:]
            for route in router?.routes ?? [] {
                byPath[route.path.description, default: []].insert(route.method.rawValue)
            }
            let built = byPath.map { Route(segments: $0.key.split(separator: "/"), methods: $0.value) }
            cached = built
            router = nil
            return built
        }
        let segments = path.split(separator: "/")
        // The route the router would take: at the first segment where matching patterns
        // differ, the one the router tries first wins (`/orders/batch` is the `orders/batch`
        // route's path even though `orders/:orderId` matches it too).
        var best: [Int] = []
        var methods: Set<String> = []
        for route in routes where Self.matches(route.segments, segments) {
            let ranks = route.segments.map(Self.rank)
            if methods.isEmpty || ranks.lexicographicallyPrecedes(best) {
                best = ranks
                methods = route.methods
            } else if ranks == best {
                methods.formUnion(route.methods)
            }
        }
        return methods.sorted()
    }

    /// The order in which Hummingbird's trie tries a node's children (lowest first): a
    /// literal, a capture with a prefix or suffix (`{id}.json`), a wildcard with one
    /// (`*.json`), a parameter (`{id}`, `:id`), `*`, then `**`.
    private static func rank(_ part: Substring) -> Int {
        if part == "**" { return 5 }
        if part == "*" { return 4 }
        if part.hasPrefix(":") || (part.hasPrefix("{") && part.hasSuffix("}")) { return 3 }
        if part.contains("*") { return 2 }
        if part.contains("{") { return 1 }
        return 0
    }

    /// `{id}`, `:id`, `*` and the like: segments that match whatever is there.
    private static func isParameter(_ part: Substring) -> Bool {
        rank(part) > 0
    }

    /// Whether a route pattern (`{id}`, `:id`, `*` match one segment, `**` the rest) matches.
    private static func matches(_ pattern: [Substring], _ segments: [Substring]) -> Bool {
        var index = 0
        for part in pattern {
            if part == "**" { return true }
            guard index < segments.count else { return false }
            if !isParameter(part) && part != segments[index] { return false }
            index += 1
        }
        return index == segments.count
    }
}
