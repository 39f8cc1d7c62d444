import MarketEngine
import SecurityPrimitives
import Testing

@Suite("OperatorKeyStore")
struct OperatorKeyStoreTests {
    @Test("development keys map to their operators")
    func developmentKeys() throws {
        let store = try OperatorKeyStore(developmentKeys: "op-1:key1, op-2:key2")
        #expect(store.count == 2)
        #expect(store.operatorId(forAPIKey: "key1") == "op-1")
        #expect(store.operatorId(forAPIKey: "key2") == "op-2")
        #expect(store.operatorId(forAPIKey: "key3") == nil)
        #expect(store.operatorId(forAPIKey: "") == nil)
        #expect(throws: OperatorKeyStoreError.malformed) { try OperatorKeyStore(developmentKeys: "op-1") }
        #expect(throws: OperatorKeyStoreError.malformed) { try OperatorKeyStore(developmentKeys: "op-1:") }
    }

    @Test("the file holds only hashed keys")
    func file() throws {
        let json = #"{"operators":[{"operatorId":"op-1","apiKeySha256":"\#(SHA256.hex("secret-1"))"}]}"#
        let store = try OperatorKeyStore(fileContents: Array(json.utf8))
        #expect(store.operatorId(forAPIKey: "secret-1") == "op-1")
        #expect(store.operatorId(forAPIKey: SHA256.hex("secret-1")) == nil)
        #expect(throws: OperatorKeyStoreError.malformed) {
            try OperatorKeyStore(fileContents: Array(#"{"operators":[{"operatorId":"op-1","apiKeySha256":"abc"}]}"#.utf8))
        }
        #expect(throws: OperatorKeyStoreError.malformed) { try OperatorKeyStore(fileContents: Array("nope".utf8)) }
    }

    @Test("loading from the environment prefers the file and refuses to run open")
    func environment() throws {
        #expect(throws: OperatorKeyStoreError.missingConfiguration) { try OperatorKeyStore.load(environment: [:]) }
        #expect(throws: OperatorKeyStoreError.unreadableFile) {
            try OperatorKeyStore.load(environment: ["OPERATOR_KEYS_FILE": "/nonexistent/keys.json"])
        }
        let store = try OperatorKeyStore.load(environment: ["OPERATOR_API_KEYS": "op-9:k"])
        #expect(store.operatorId(forAPIKey: "k") == "op-9")
        let message = OperatorKeyStoreError.missingConfiguration.description
        #expect(message.contains("OPERATOR_KEYS_FILE") && message.contains("OPERATOR_API_KEYS"))
    }
}
