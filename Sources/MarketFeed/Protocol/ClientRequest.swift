import Foundation

/// A message a client sends on `/ws`, parsed and validated.
public enum ClientRequest: Hashable, Sendable {
    /// `SUBSCRIBE` with `marketIds` (array or one string) and, as an addition, `fromSeq` to
    /// resume after the last sequence the client saw.
    case subscribe(marketIds: [String], fromSequence: UInt64?)
    /// `UNSUBSCRIBE` with `marketIds` (array or one string).
    case unsubscribe(marketIds: [String])
    /// `PING`.
    case ping

    /// Most market ids one SUBSCRIBE or UNSUBSCRIBE may name.
    public static let maximumMarketIds = 100

    /// Parses one text message; the error carries the code and message of the `ERROR` reply.
    public static func parse(_ text: String) -> Result<ClientRequest, ClientRequestError> {
        guard let data = text.data(using: .utf8),
              let root = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            return .failure(.invalidJSON)
        }
        guard let object = root as? [String: Any] else {
            return .failure(ClientRequestError(code: "INVALID_MESSAGE", message: "A message is a JSON object with a type"))
        }
        guard let typeValue = object["type"] else { return .failure(.missingField("type")) }
        guard let type = typeValue as? String else {
            return .failure(ClientRequestError(code: "INVALID_FIELD", message: "type must be a string"))
        }
        switch type {
        case "PING":
            return .success(.ping)
        case "SUBSCRIBE", "UNSUBSCRIBE":
            guard let payloadValue = object["payload"] else { return .failure(.missingField("payload")) }
            guard let payload = payloadValue as? [String: Any] else {
                return .failure(ClientRequestError(code: "INVALID_FIELD", message: "payload must be an object"))
            }
            let marketIds: [String]
            switch marketIdList(payload["marketIds"]) {
            case .success(let ids): marketIds = ids
            case .failure(let error): return .failure(error)
            }
            if type == "UNSUBSCRIBE" { return .success(.unsubscribe(marketIds: marketIds)) }
            guard let fromValue = payload["fromSeq"], !(fromValue is NSNull) else {
                return .success(.subscribe(marketIds: marketIds, fromSequence: nil))
            }
            guard let from = sequence(fromValue) else {
                return .failure(ClientRequestError(code: "INVALID_FIELD", message: "fromSeq must be a non-negative integer"))
            }
            return .success(.subscribe(marketIds: marketIds, fromSequence: from))
        default:
            return .failure(ClientRequestError(code: "INVALID_MESSAGE", message: "Unknown message type: \(type)"))
        }
    }

    private static func marketIdList(_ value: Any?) -> Result<[String], ClientRequestError> {
        guard let value, !(value is NSNull) else { return .failure(.missingField("payload.marketIds")) }
        var ids: [String]
        if let one = value as? String {
            ids = [one]
        } else if let many = value as? [Any] {
            ids = []
            for element in many {
                guard let id = element as? String else {
                    return .failure(ClientRequestError(code: "INVALID_FIELD", message: "marketIds must be strings"))
                }
                ids.append(id)
            }
        } else {
            return .failure(ClientRequestError(code: "INVALID_FIELD", message: "marketIds must be a string or an array of strings"))
        }
        guard !ids.isEmpty, ids.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 200 }) else {
            return .failure(ClientRequestError(code: "INVALID_FIELD", message: "marketIds must name at least one market, each 1 to 200 bytes"))
        }
        guard ids.count <= maximumMarketIds else {
            return .failure(ClientRequestError(code: "INVALID_FIELD", message: "at most \(maximumMarketIds) marketIds per message"))
        }
        // Keep the client's order, drop repeats.
        var seen = Set<String>()
        ids = ids.filter { seen.insert($0).inserted }
        return .success(ids)
    }

    private static func sequence(_ value: Any) -> UInt64? {
        if let text = value as? String { return UInt64(text) }
        guard let number = value as? NSNumber else { return nil }
        let double = number.doubleValue
        guard double >= 0, double == double.rounded(), double < 9.0e18 else { return nil }
        return number.uint64Value
    }
}

/// Why a client message was refused: the `code` and `message` of the `ERROR` reply.
public struct ClientRequestError: Error, Hashable, Sendable {
    /// `INVALID_JSON`, `INVALID_MESSAGE`, `MISSING_FIELD`, `INVALID_FIELD`, `UNKNOWN_MARKET`.
    public var code: String
    /// Human-readable detail.
    public var message: String

    /// An error reply.
    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    /// The text is not JSON.
    public static let invalidJSON = ClientRequestError(code: "INVALID_JSON", message: "The message is not valid JSON")

    /// A required field is absent.
    public static func missingField(_ name: String) -> ClientRequestError {
        ClientRequestError(code: "MISSING_FIELD", message: "Missing field: \(name)")
    }
}
