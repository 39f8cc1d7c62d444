import SecurityPrimitives

/// The `X-Webhook-Signature` header: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`
/// (the Stripe scheme). Signing the timestamp with the body lets a receiver refuse replays of
/// old deliveries; each attempt is signed afresh.
public enum WebhookSignature {
    /// The header value for `body` sent at `timestamp` (unix seconds).
    public static func header(secret: String, timestamp: Int64, body: [UInt8]) -> String {
        "t=\(timestamp),v1=\(signature(secret: secret, timestamp: timestamp, body: body))"
    }

    /// The hex HMAC-SHA256 of `"<timestamp>.<body>"` keyed by the secret's UTF-8 bytes.
    public static func signature(secret: String, timestamp: Int64, body: [UInt8]) -> String {
        var message = Array("\(timestamp).".utf8)
        message.append(contentsOf: body)
        return HMACSHA256.hex(message, key: Array(secret.utf8))
    }

    /// What a receiver does: parse the header, recompute, compare in constant time, and refuse
    /// a timestamp further than `tolerance` seconds from `now`.
    public static func verify(header: String, secret: String, body: [UInt8], now: Int64, tolerance: Int64 = 300) -> Bool {
        var timestamp: Int64?
        var candidates: [String] = []
        for part in header.split(separator: ",") {
            let pieces = part.split(separator: "=", maxSplits: 1)
            guard pieces.count == 2 else { continue }
            let key = pieces[0].trimmingCharacters(in: " ")
            let value = pieces[1].trimmingCharacters(in: " ")
            if key == "t" { timestamp = Int64(value) }
            if key == "v1" { candidates.append(value) }
        }
        guard let timestamp, abs(now - timestamp) <= tolerance, !candidates.isEmpty else { return false }
        let expected = signature(secret: secret, timestamp: timestamp, body: body)
        var matched = false
        for candidate in candidates where ConstantTime.equals(candidate, expected) {
            matched = true
        }
        return matched
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: Character) -> String {
        var view = self
        while view.first == set { view = view.dropFirst() }
        while view.last == set { view = view.dropLast() }
        return String(view)
    }
}
