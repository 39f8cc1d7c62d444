import SecurityPrimitives
import Testing

@Suite struct EncodingAndRandomTests {
    @Test func sha256KnownDigests() {
        #expect(Hex.encode(SHA256.hash(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func constantTimeEquality() {
        #expect(ConstantTime.equals("token-123", "token-123"))
        #expect(!ConstantTime.equals("token-123", "token-124"))
        #expect(!ConstantTime.equals("token-123", "token-1234"))
        #expect(!ConstantTime.equals("", "x"))
        #expect(ConstantTime.equals("", ""))
    }

    @Test func base64RFC4648Vectors() {
        let vectors = ["": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==", "fooba": "Zm9vYmE=", "foobar": "Zm9vYmFy"]
        for (plain, encoded) in vectors {
            #expect(Base64.encode(Array(plain.utf8)) == encoded)
            #expect(Base64.decode(encoded) == Array(plain.utf8))
        }
        #expect(Base64.decode("Zm9v!") == nil)
    }

    @Test func base64URLIsUnpaddedAndURLSafe() {
        let bytes: [UInt8] = [0xfb, 0xff, 0xfe]
        #expect(Base64URL.encode(bytes) == "-__-")
        #expect(Base64URL.decode("-__-") == bytes)
        #expect(Base64URL.encode([0xff]) == "_w")
        #expect(Base64URL.decode("_w") == [0xff])
        #expect(Base64URL.decode("a+b/") == nil)
    }

    @Test func hexRoundTripAndRejects() {
        #expect(Hex.decode("00ff10Ab") == [0x00, 0xff, 0x10, 0xab])
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("zz") == nil)
    }

    @Test func randomTokensAreDistinctAndSized() {
        let tokens = Set((0..<100).map { _ in SecureRandom.token() })
        #expect(tokens.count == 100)
        #expect(tokens.allSatisfy { Base64URL.decode($0)?.count == 32 })
        #expect(SecureRandom.bytes(0).isEmpty)
    }
}
