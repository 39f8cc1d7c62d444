import Foundation
import SecurityPrimitives
import Testing

@Suite struct URLSignerTests {
    let signer = URLSigner(secret: "overlay-signing-secret-0123456789")

    @Test func signAndVerify() throws {
        let signed = signer.sign("/overlay/ov-1?theme=dark", expiresAt: 2_000)
        #expect(signed.hasPrefix("/overlay/ov-1?theme=dark&expires=2000&signature="))
        #expect(try signer.verify(signed, now: 1_999) == 2_000)
        #expect(try signer.verify(signed, now: 2_000) == 2_000)
        let noQuery = signer.sign("/overlay/ov-2", expiresAt: 50)
        #expect(noQuery.hasPrefix("/overlay/ov-2?expires=50&signature="))
        #expect(try signer.verify(noQuery, now: 10) == 50)
    }

    @Test func expiredSignatureIsRejected() {
        let signed = signer.sign("/overlay/ov-1", expiresAt: 100)
        #expect(throws: SecurityError.expired) { try signer.verify(signed, now: 101) }
    }

    @Test func tamperedURLIsRejected() {
        let signed = signer.sign("/overlay/ov-1?theme=dark", expiresAt: 100)
        #expect(throws: SecurityError.signatureMismatch) { try signer.verify(signed.replacingFirst("ov-1", with: "ov-2"), now: 1) }
        #expect(throws: SecurityError.signatureMismatch) { try signer.verify(signed.replacingFirst("expires=100", with: "expires=999"), now: 1) }
        #expect(throws: SecurityError.malformedSignedURL) { try signer.verify("/overlay/ov-1?expires=100", now: 1) }
        #expect(throws: SecurityError.malformedSignedURL) { try signer.verify("/overlay/ov-1?signature=abc", now: 1) }
    }

    @Test func wrongKeyIsRejected() {
        let signed = signer.sign("/overlay/ov-1", expiresAt: 100)
        #expect(throws: SecurityError.signatureMismatch) { try URLSigner(secret: "another-secret").verify(signed, now: 1) }
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = self.range(of: target) else { return self }
        return self.replacingCharacters(in: range, with: replacement)
    }
}
