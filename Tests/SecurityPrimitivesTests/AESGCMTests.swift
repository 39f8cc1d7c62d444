import SecurityPrimitives
import Testing

/// AES-256-GCM against the GCM specification's test cases 13-16 (McGrew & Viega, as used by
/// NIST's validation), plus tampering and wrong keys.
@Suite struct AESGCMTests {
    @Test func testCase13EmptyPlaintext() throws {
        let (ciphertext, tag) = try AESGCM.seal([], key: [UInt8](repeating: 0, count: 32), nonce: [UInt8](repeating: 0, count: 12))
        #expect(ciphertext.isEmpty)
        #expect(Hex.encode(tag) == "530f8afbc74536b9a963b4f1c4cb738b")
    }

    @Test func testCase14OneZeroBlock() throws {
        let (ciphertext, tag) = try AESGCM.seal([UInt8](repeating: 0, count: 16), key: [UInt8](repeating: 0, count: 32), nonce: [UInt8](repeating: 0, count: 12))
        #expect(Hex.encode(ciphertext) == "cea7403d4d606b6e074ec5d3baf39d18")
        #expect(Hex.encode(tag) == "d0d1c8a799996bf0265b98b5d48ab919")
    }

    static let key15 = Hex.decode("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308")!
    static let nonce15 = Hex.decode("cafebabefacedbaddecaf888")!

    @Test func testCase15() throws {
        let plaintext = Hex.decode("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255")!
        let (ciphertext, tag) = try AESGCM.seal(plaintext, key: Self.key15, nonce: Self.nonce15)
        #expect(Hex.encode(ciphertext) == "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad")
        #expect(Hex.encode(tag) == "b094dac5d93471bdec1a502270e3cc6c")
    }

    @Test func testCase16WithAdditionalData() throws {
        let plaintext = Hex.decode("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39")!
        let aad = Hex.decode("feedfacedeadbeeffeedfacedeadbeefabaddad2")!
        let (ciphertext, tag) = try AESGCM.seal(plaintext, key: Self.key15, nonce: Self.nonce15, authenticating: aad)
        #expect(Hex.encode(ciphertext) == "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662")
        #expect(Hex.encode(tag) == "76fc6ece0f4e1768cddf8853bb2d551b")
        let opened = try AESGCM.open(ciphertext: ciphertext, tag: tag, key: Self.key15, nonce: Self.nonce15, authenticating: aad)
        #expect(opened == plaintext)
    }

    @Test func sealOpenRoundTripWithRandomNonces() throws {
        let key = SecureRandom.bytes(32)
        let message = Array("twitch refresh token".utf8)
        let first = try AESGCM.seal(message, key: key)
        let second = try AESGCM.seal(message, key: key)
        #expect(first != second, "each seal uses a fresh nonce")
        #expect(try AESGCM.open(first, key: key) == message)
        #expect(try AESGCM.open(second, key: key) == message)
    }

    @Test func tamperingAndWrongKeyAreRejected() throws {
        let key = SecureRandom.bytes(32)
        let box = try AESGCM.seal(Array("secret".utf8), key: key, authenticating: Array("user-1".utf8))
        var tampered = box
        tampered[14] ^= 0x01
        #expect(throws: SecurityError.authenticationFailed) { try AESGCM.open(tampered, key: key, authenticating: Array("user-1".utf8)) }
        #expect(throws: SecurityError.authenticationFailed) { try AESGCM.open(box, key: SecureRandom.bytes(32), authenticating: Array("user-1".utf8)) }
        #expect(throws: SecurityError.authenticationFailed) { try AESGCM.open(box, key: key, authenticating: Array("user-2".utf8)) }
        #expect(throws: SecurityError.malformedCiphertext) { try AESGCM.open(Array(box.prefix(10)), key: key) }
        #expect(throws: SecurityError.invalidKeyLength) { try AESGCM.seal([1], key: [1, 2, 3]) }
    }
}
