import HTTPCore
import MarketEngine

/// The HTTP errors order-router answers with besides the shared ones.
enum OrderRouterErrors {
    /// A journal write failed: commands are refused (503) until the service restarts.
    static func journalUnavailable(_ failure: OrderJournalError) -> APIError {
        .unavailable("the journal failed, commands are refused until restart: \(failure)", code: "journal_unavailable")
    }

    /// The engine's refusal as an HTTP error: invalid input 422, unknown 404, forbidden 403,
    /// conflicts 409; the code is the engine's.
    static func from(_ error: EngineError) -> APIError {
        switch error.category {
        case .invalidInput: .unprocessable(error.message, code: error.code)
        case .notFound: .notFound(error.message, code: error.code)
        case .forbidden: .forbidden(error.message, code: error.code)
        case .conflict: .conflict(error.message, code: error.code)
        }
    }
}
