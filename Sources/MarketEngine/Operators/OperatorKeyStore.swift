import Foundation
import SecurityPrimitives

/// Maps an operator's API key to its `operatorId`, shared by market-ws and order-router.
///
/// Only SHA-256 digests of keys are held. A lookup hashes the presented key and compares it
/// with every stored digest in constant time, without stopping at a match, so timing tells
/// nothing about which key (or how much of one) matched.
public struct OperatorKeyStore: Sendable {
    /// One operator and the digest of its key.
    public struct Entry: Codable, Hashable, Sendable {
        /// Operator the key authenticates.
        public var operatorId: String
        /// SHA-256 of the API key's UTF-8 bytes, lowercase hex in the file.
        public var apiKeySha256: String

        /// An entry.
        public init(operatorId: String, apiKeySha256: String) {
            self.operatorId = operatorId
            self.apiKeySha256 = apiKeySha256
        }
    }

    private struct File: Codable {
        var operators: [Entry]
    }

    /// Environment variable naming the JSON key file (`{"operators":[{"operatorId":...,"apiKeySha256":...}]}`).
    public static let fileVariable = "OPERATOR_KEYS_FILE"
    /// Environment variable with plain development keys: `op-1:key1,op-2:key2`.
    public static let developmentVariable = "OPERATOR_API_KEYS"

    private let digests: [(operatorId: String, digest: [UInt8])]

    /// A store from entries whose digests are hex; throws when one is not a 32-byte hex digest
    /// or an operator id is empty.
    public init(entries: [Entry]) throws(OperatorKeyStoreError) {
        var digests: [(operatorId: String, digest: [UInt8])] = []
        for entry in entries {
            guard !entry.operatorId.isEmpty else { throw OperatorKeyStoreError.malformed.with(detail: "empty operatorId") }
            guard let digest = Hex.decode(entry.apiKeySha256), digest.count == 32 else {
                throw OperatorKeyStoreError.malformed.with(detail: "apiKeySha256 of \(entry.operatorId) is not 64 hex digits")
            }
            digests.append((entry.operatorId, digest))
        }
        self.digests = digests
    }

    /// A store from the key file's JSON bytes.
    public init(fileContents: [UInt8]) throws(OperatorKeyStoreError) {
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: Data(fileContents))
        } catch {
            throw OperatorKeyStoreError.malformed.with(detail: "not a JSON {\"operators\":[...]} document")
        }
        try self.init(entries: file.operators)
    }

    /// A store from the development form `op-1:key1,op-2:key2` (keys are hashed at once).
    public init(developmentKeys: String) throws(OperatorKeyStoreError) {
        var entries: [Entry] = []
        for pair in developmentKeys.split(separator: ",") {
            let trimmed = pair.trimmingCharacters(in: .whitespaces)
            guard let colon = trimmed.firstIndex(of: ":") else {
                throw OperatorKeyStoreError.malformed.with(detail: "\(Self.developmentVariable) entries are operatorId:key")
            }
            let operatorId = String(trimmed[..<colon])
            let key = String(trimmed[trimmed.index(after: colon)...])
            guard !operatorId.isEmpty, !key.isEmpty else {
                throw OperatorKeyStoreError.malformed.with(detail: "\(Self.developmentVariable) entries are operatorId:key")
            }
            entries.append(Entry(operatorId: operatorId, apiKeySha256: SHA256.hex(key)))
        }
        try self.init(entries: entries)
    }

    /// Loads from `OPERATOR_KEYS_FILE` when set, else `OPERATOR_API_KEYS`; throws
    /// ``OperatorKeyStoreError/missingConfiguration`` naming both when neither is set, so a
    /// service never runs without authentication.
    public static func load(environment: [String: String]) throws(OperatorKeyStoreError) -> OperatorKeyStore {
        if let path = environment[fileVariable], !path.isEmpty {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw OperatorKeyStoreError.unreadableFile.with(detail: path)
            }
            return try OperatorKeyStore(fileContents: Array(data))
        }
        if let keys = environment[developmentVariable], !keys.isEmpty {
            return try OperatorKeyStore(developmentKeys: keys)
        }
        throw OperatorKeyStoreError.missingConfiguration
    }

    /// Number of operators known.
    public var count: Int { digests.count }

    /// The operator whose key this is, or `nil`. Constant time in the key's content.
    public func operatorId(forAPIKey key: String) -> String? {
        let presented = SHA256.hash(Array(key.utf8))
        var found: String?
        for entry in digests {
            // No early exit: every digest is compared.
            if ConstantTime.equals(presented, entry.digest), found == nil {
                found = entry.operatorId
            }
        }
        return found
    }
}
