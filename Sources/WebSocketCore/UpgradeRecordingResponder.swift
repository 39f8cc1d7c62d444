import HTTPCore
import Hummingbird
import Logging

/// Wraps the router that decides WebSocket upgrades so that its answer is kept in an
/// ``UpgradeRefusal``: if hummingbird-websocket then declines the upgrade, that answer (for
/// example the 403 JSON error `ErrorMiddleware` made of a thrown `APIError`) is what the client gets.
struct UpgradeRecordingResponder<RouterResponder: HTTPResponder>: HTTPResponder where RouterResponder.Context: RequestContext {
    typealias Context = RouterResponder.Context

    let router: RouterResponder
    let refusal: UpgradeRefusal

    func respond(to request: Request, context: Context) async throws -> Response {
        let response: Response
        do {
            response = try await router.respond(to: request, context: context)
        } catch {
            // No ErrorMiddleware turned the error into a response: refuse with a plain 400 JSON error.
            context.logger.debug("WebSocket upgrade route failed", metadata: ["error.message": "\(error)"])
            response = try APIError.badRequest("the WebSocket upgrade was refused", code: "upgrade_refused")
                .response(from: request, context: context)
        }
        // Kept even for a 200: a 200 from a route without a WebSocket handler is a refusal too.
        try await refusal.record(response)
        return response
    }
}
