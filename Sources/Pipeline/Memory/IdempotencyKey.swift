/// An idempotency key and its hash, computed once when the key arrives (SipHash with the
/// process's random seed, so clients cannot choose keys that collide).
struct IdempotencyKey {
    let text: String
    let hash: UInt64

    init(_ text: String) {
        var text = text
        var hasher = Hasher()
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        let hash = UInt64(UInt(bitPattern: hasher.finalize()))
        // 0 marks an empty slot in ``IdempotencyKeyTable``.
        self.hash = hash == 0 ? 1 : hash
        self.text = text
    }
}
