import COpenSSL

/// AES-256-GCM authenticated encryption with a random 96-bit nonce per message: how OAuth
/// tokens and other secrets are stored at rest.
public enum AESGCM {
    /// Key length in bytes (AES-256).
    public static let keyLength = 32
    /// Nonce length in bytes.
    public static let nonceLength = 12
    /// Tag length in bytes.
    public static let tagLength = 16

    /// Encrypts `plaintext` under a fresh random nonce and returns `nonce || ciphertext || tag`.
    public static func seal(_ plaintext: [UInt8], key: [UInt8], authenticating aad: [UInt8] = []) throws(SecurityError) -> [UInt8] {
        let nonce = SecureRandom.bytes(nonceLength)
        let (ciphertext, tag) = try seal(plaintext, key: key, nonce: nonce, authenticating: aad)
        return nonce + ciphertext + tag
    }

    /// Decrypts a box made by ``seal(_:key:authenticating:)``; throws when it was tampered with
    /// or the key is wrong.
    public static func open(_ box: [UInt8], key: [UInt8], authenticating aad: [UInt8] = []) throws(SecurityError) -> [UInt8] {
        guard box.count >= nonceLength + tagLength else { throw .malformedCiphertext }
        let nonce = Array(box[0..<nonceLength])
        let ciphertext = Array(box[nonceLength..<(box.count - tagLength)])
        let tag = Array(box[(box.count - tagLength)...])
        return try open(ciphertext: ciphertext, tag: tag, key: key, nonce: nonce, authenticating: aad)
    }

    /// Encrypts with a caller-chosen nonce (for test vectors). Never reuse a nonce under one key.
    public static func seal(
        _ plaintext: [UInt8], key: [UInt8], nonce: [UInt8], authenticating aad: [UInt8] = []
    ) throws(SecurityError) -> (ciphertext: [UInt8], tag: [UInt8]) {
        guard key.count == keyLength else { throw .invalidKeyLength }
        guard !nonce.isEmpty else { throw .invalidNonce }
        guard let ctx = EVP_CIPHER_CTX_new() else { throw .cryptoFailure }
        defer { EVP_CIPHER_CTX_free(ctx) }
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count + 16)
        var tag = [UInt8](repeating: 0, count: tagLength)
        var length: Int32 = 0
        var total: Int32 = 0
        guard EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nil, nil, nil) == 1,
              c_openssl_gcm_set_ivlen(ctx, Int32(nonce.count)) == 1,
              EVP_EncryptInit_ex(ctx, nil, nil, key, nonce) == 1
        else { throw .cryptoFailure }
        if !aad.isEmpty {
            guard EVP_EncryptUpdate(ctx, nil, &length, aad, Int32(aad.count)) == 1 else { throw .cryptoFailure }
        }
        let updated = ciphertext.withUnsafeMutableBufferPointer { out in
            plaintext.withUnsafeBufferPointer { input in
                EVP_EncryptUpdate(ctx, out.baseAddress, &length, input.baseAddress ?? UnsafePointer(bitPattern: 1), Int32(input.count))
            }
        }
        guard updated == 1 else { throw .cryptoFailure }
        total = length
        let finished = ciphertext.withUnsafeMutableBufferPointer { out in
            EVP_EncryptFinal_ex(ctx, out.baseAddress! + Int(total), &length)
        }
        guard finished == 1 else { throw .cryptoFailure }
        total += length
        guard c_openssl_gcm_get_tag(ctx, Int32(tagLength), &tag) == 1 else { throw .cryptoFailure }
        return (Array(ciphertext[0..<Int(total)]), tag)
    }

    /// Decrypts and authenticates; throws ``SecurityError/authenticationFailed`` on any mismatch.
    public static func open(
        ciphertext: [UInt8], tag: [UInt8], key: [UInt8], nonce: [UInt8], authenticating aad: [UInt8] = []
    ) throws(SecurityError) -> [UInt8] {
        guard key.count == keyLength else { throw .invalidKeyLength }
        guard !nonce.isEmpty else { throw .invalidNonce }
        guard tag.count == tagLength else { throw .malformedCiphertext }
        guard let ctx = EVP_CIPHER_CTX_new() else { throw .cryptoFailure }
        defer { EVP_CIPHER_CTX_free(ctx) }
        var plaintext = [UInt8](repeating: 0, count: ciphertext.count + 16)
        var length: Int32 = 0
        var total: Int32 = 0
        guard EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), nil, nil, nil) == 1,
              c_openssl_gcm_set_ivlen(ctx, Int32(nonce.count)) == 1,
              EVP_DecryptInit_ex(ctx, nil, nil, key, nonce) == 1
        else { throw .cryptoFailure }
        if !aad.isEmpty {
            guard EVP_DecryptUpdate(ctx, nil, &length, aad, Int32(aad.count)) == 1 else { throw .cryptoFailure }
        }
        let updated = plaintext.withUnsafeMutableBufferPointer { out in
            ciphertext.withUnsafeBufferPointer { input in
                EVP_DecryptUpdate(ctx, out.baseAddress, &length, input.baseAddress ?? UnsafePointer(bitPattern: 1), Int32(input.count))
            }
        }
        guard updated == 1 else { throw .cryptoFailure }
        total = length
        var tagCopy = tag
        guard c_openssl_gcm_set_tag(ctx, Int32(tagLength), &tagCopy) == 1 else { throw .cryptoFailure }
        let finished = plaintext.withUnsafeMutableBufferPointer { out in
            EVP_DecryptFinal_ex(ctx, out.baseAddress! + Int(total), &length)
        }
        guard finished == 1 else { throw .authenticationFailed }
        total += length
        return Array(plaintext[0..<Int(total)])
    }
}
