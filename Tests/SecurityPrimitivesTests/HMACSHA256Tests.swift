import SecurityPrimitives
import Testing

/// RFC 4231 test vectors for HMAC-SHA256, plus tampering.
@Suite struct HMACSHA256Tests {
    struct Vector: Sendable {
        var key: [UInt8]
        var data: [UInt8]
        var tag: String
    }

    static let vectors: [Vector] = [
        // Test case 1
        Vector(key: [UInt8](repeating: 0x0b, count: 20), data: Array("Hi There".utf8),
               tag: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        // Test case 2
        Vector(key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8),
               tag: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        // Test case 3
        Vector(key: [UInt8](repeating: 0xaa, count: 20), data: [UInt8](repeating: 0xdd, count: 50),
               tag: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        // Test case 4
        Vector(key: Hex.decode("0102030405060708090a0b0c0d0e0f10111213141516171819")!, data: [UInt8](repeating: 0xcd, count: 50),
               tag: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        // Test case 6: key longer than the block size
        Vector(key: [UInt8](repeating: 0xaa, count: 131), data: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
               tag: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        // Test case 7
        Vector(key: [UInt8](repeating: 0xaa, count: 131),
               data: Array("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.".utf8),
               tag: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ]

    @Test(arguments: vectors.indices)
    func rfc4231(_ index: Int) {
        let vector = Self.vectors[index]
        #expect(HMACSHA256.hex(vector.data, key: vector.key) == vector.tag)
        #expect(HMACSHA256.verify(Hex.decode(vector.tag)!, message: vector.data, key: vector.key))
    }

    @Test func base64MatchesHex() {
        let tag = HMACSHA256.authenticate(Array("payload".utf8), key: Array("secret".utf8))
        #expect(Base64.decode(HMACSHA256.base64(Array("payload".utf8), key: Array("secret".utf8))) == tag)
    }

    @Test func tamperedMessageOrWrongKeyFails() {
        let key = Array("secret".utf8)
        let tag = HMACSHA256.authenticate(Array("amount=10".utf8), key: key)
        #expect(!HMACSHA256.verify(tag, message: Array("amount=11".utf8), key: key))
        #expect(!HMACSHA256.verify(tag, message: Array("amount=10".utf8), key: Array("secreT".utf8)))
        var flipped = tag
        flipped[31] ^= 1
        #expect(!HMACSHA256.verify(flipped, message: Array("amount=10".utf8), key: key))
        #expect(!HMACSHA256.verify(Array(tag.prefix(16)), message: Array("amount=10".utf8), key: key))
    }
}
